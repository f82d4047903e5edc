# Writes the Debian changelog entry of this version (cmake -P; VERSION, DATE as YYYY-MM-DD, OUTPUT).
execute_process(COMMAND date -u -R -d "${DATE} 12:00:00" OUTPUT_VARIABLE rfc_date
                OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
file(WRITE ${OUTPUT} "schema-audit (${VERSION}) unstable; urgency=medium

  * Release ${VERSION}; the user-visible changes are listed in CHANGELOG.md of
    the source tree.

 -- schema-audit developers <schema-audit@lists.invalid>  ${rfc_date}
")
