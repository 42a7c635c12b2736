-- Facts about this database as a desk profile that are not clerk settings, such as the random
-- `profile_id` that BPJS credentials (kept outside this file) are filed under.
CREATE TABLE desk_profile (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;
