# The Debian package (scripts/package.sh): CPack's DEB generator over the install rules of src/.
# Runtime dependencies come from dpkg-shlibdeps, not from a hand-kept list.
# cpack installs what is built; it does not build (scripts/package.sh builds first).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME schema-audit)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "schema-audit developers <schema-audit@lists.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "audit PostgreSQL schemas and report how they drift")
set(CPACK_PACKAGE_DESCRIPTION "schema-audit runs catalog and statistics queries against a
PostgreSQL database in one read-only transaction and reports unused and
missing indexes, bloat, integer keys near overflow, missing or cross-tenant
foreign keys and other schema drift, each with evidence, a severity and
remediation SQL. Every audit is kept as a snapshot in a SQLite or PostgreSQL
history, and reports (HTML, Markdown, JSON) show how the schema changes
quarter after quarter.")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# /usr/share/doc/schema-audit: the copyright file and, this being a native package, the Debian
# changelog as changelog.gz (its entry is made from the version and CHANGELOG.md's release date).
file(STRINGS ${PROJECT_SOURCE_DIR}/CHANGELOG.md release_line
     REGEX "^## ${PROJECT_VERSION} \\([0-9]+-[0-9]+-[0-9]+\\)" LIMIT_COUNT 1)
if(NOT release_line)
  message(FATAL_ERROR "CHANGELOG.md has no \"## ${PROJECT_VERSION} (YYYY-MM-DD)\" entry")
endif()
string(REGEX REPLACE ".*\\(([0-9]+-[0-9]+-[0-9]+)\\).*" "\\1" release_date "${release_line}")
set(doc_dir ${PROJECT_BINARY_DIR}/share/doc)
file(MAKE_DIRECTORY ${doc_dir})
add_custom_command(
  OUTPUT ${doc_dir}/changelog.gz
  COMMAND ${CMAKE_COMMAND} -DVERSION=${PROJECT_VERSION} -DDATE=${release_date}
          -DOUTPUT=${doc_dir}/changelog -P ${PROJECT_SOURCE_DIR}/packaging/debian_changelog.cmake
  COMMAND gzip -9nf ${doc_dir}/changelog
  DEPENDS ${PROJECT_SOURCE_DIR}/CHANGELOG.md ${PROJECT_SOURCE_DIR}/packaging/debian_changelog.cmake
  VERBATIM)
add_custom_target(schema-audit-debian-changelog ALL DEPENDS ${doc_dir}/changelog.gz)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright ${doc_dir}/changelog.gz
        DESTINATION share/doc/schema-audit)

include(CPack)
