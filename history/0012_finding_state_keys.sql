-- Schema version 12: a finding repeated unchanged is recognised by a key, not by its fields.
-- Each save looked every finding's state up by fingerprint and compared all its fields (evidence
-- included) and its texts: 10 of the 16 seconds a repeated audit of 10,000 schemas spent saving.
-- state_key is a digest (util::digest, 128 bits of SHA-256) of everything the state and its text
-- row hold. store::HistoryEngine::save reads the fingerprint, key and id of each state of the
-- target's latest snapshot, and a finding with the same fingerprint and key takes that state as
-- it is; only the others are compared field by field, and their rows get the key. States stored
-- before have none ('') until a save finds one of them by its fields and sets it.
alter table finding_states add column state_key text not null default '';
