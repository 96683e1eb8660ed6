import SQLiteEngine

extension Migrations {
    /// Permission profiles (issue 6): the profiles table with the four built-in profiles, every
    /// user given one, the trusted-service flag, and the service a history entry was made through.
    ///
    /// Existing administrators get the built-in Administrator profile; every other user gets
    /// Read only (`BuiltInProfile.defaultForNewUsers`): a right nobody handed out is never gained.
    /// From here on `users.is_administrator` is no longer read (the profile's administration right
    /// decides); it stays because it still picks the profile of a row inserted without one.
    static let permissionProfiles = Migration(version: 7, name: "permission profiles", sql: """
        CREATE TABLE permission_profiles (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 64),
            -- Which built-in profile a row is, so renaming it keeps it findable; NULL for later ones.
            built_in TEXT UNIQUE CHECK (built_in IN ('administrator', 'sales', 'consultant', 'read-only')),
            read_customers TEXT NOT NULL CHECK (read_customers IN ('none', 'own', 'all')),
            edit_customers TEXT NOT NULL CHECK (edit_customers IN ('none', 'own', 'all')),
            financial_figures INTEGER NOT NULL CHECK (financial_figures IN (0, 1)),
            delete_customers INTEGER NOT NULL CHECK (delete_customers IN (0, 1)),
            manage_contacts INTEGER NOT NULL CHECK (manage_contacts IN (0, 1)),
            administration INTEGER NOT NULL CHECK (administration IN (0, 1)),
            version INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            -- Editing reaches no further than reading; deleting needs editing.
            CHECK (edit_customers = 'none' OR read_customers = 'all' OR edit_customers = read_customers),
            CHECK (delete_customers = 0 OR edit_customers <> 'none')
        );
        -- Milliseconds since 1970 from julianday: unixepoch('subsec') needs SQLite 3.42.
        INSERT INTO permission_profiles (name, built_in, read_customers, edit_customers, financial_figures,
                                         delete_customers, manage_contacts, administration, created_at, updated_at)
        SELECT p.*, now.ms, now.ms
        FROM (SELECT 'Administrator', 'administrator', 'all', 'all', 1, 1, 1, 1
              UNION ALL SELECT 'Sales', 'sales', 'all', 'own', 1, 0, 1, 0
              UNION ALL SELECT 'Consultant', 'consultant', 'own', 'own', 0, 0, 0, 0
              UNION ALL SELECT 'Read only', 'read-only', 'all', 'none', 0, 0, 0, 0) AS p,
             (SELECT CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) AS ms) AS now;

        -- SQLite allows ADD COLUMN ... REFERENCES only with a NULL default (ALTER TABLE docs); the
        -- triggers below keep every row's profile set.
        ALTER TABLE users ADD COLUMN profile_id INTEGER REFERENCES permission_profiles(id);
        ALTER TABLE users ADD COLUMN trusted_service INTEGER NOT NULL DEFAULT 0 CHECK (trusted_service IN (0, 1));
        UPDATE users SET profile_id = (
            SELECT id FROM permission_profiles
            WHERE built_in = CASE WHEN users.is_administrator = 1 THEN 'administrator' ELSE 'read-only' END);
        CREATE INDEX users_by_profile ON users (profile_id);
        CREATE TRIGGER users_default_profile AFTER INSERT ON users
        WHEN NEW.profile_id IS NULL
        BEGIN
            UPDATE users SET profile_id = (
                SELECT id FROM permission_profiles
                WHERE built_in = CASE WHEN NEW.is_administrator = 1 THEN 'administrator' ELSE 'read-only' END)
            WHERE id = NEW.id;
        END;
        CREATE TRIGGER users_keep_a_profile BEFORE UPDATE OF profile_id ON users
        WHEN NEW.profile_id IS NULL
        BEGIN
            SELECT RAISE(ABORT, 'a user must have a permission profile');
        END;

        -- The trusted service a change was made through, when it acted for the person in by_user.
        ALTER TABLE history ADD COLUMN via_user INTEGER REFERENCES users(id);
        """)
}
