extension Schema {
    /// PostgreSQL's first migration: the schema as SQLite has it after migration 10, in PostgreSQL's
    /// types (double precision seconds for times, boolean flags, identity ids, bytea). Migrations 2–10
    /// are in it; from 11 on, every migration carries both engines' SQL.
    static let postgresBaseline = """
        CREATE TABLE members (
            sub             text PRIMARY KEY,
            name            text,
            given_name      text,
            family_name     text,
            email           text,
            email_verified  boolean,
            phone_number    text,
            birthdate       text,
            address_json    text,
            language        text CHECK (language IN ('nb', 'en')),
            first_store     text,
            created_at      double precision NOT NULL,
            last_login_at   double precision NOT NULL,
            login_count     bigint NOT NULL DEFAULT 1,
            member_number   bigint
        );
        CREATE INDEX members_created ON members (created_at);
        CREATE UNIQUE INDEX members_number ON members (member_number);
        CREATE INDEX members_phone ON members (phone_number) WHERE phone_number IS NOT NULL;
        -- A member number is given once and never reused after an erasure, as SQLite's counter does.
        CREATE SEQUENCE member_numbers;
        CREATE FUNCTION members_number_assign() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.member_number IS NULL THEN NEW.member_number := nextval('member_numbers'); END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER members_number_assign BEFORE INSERT ON members FOR EACH ROW EXECUTE FUNCTION members_number_assign();

        CREATE TABLE login_requests (
            id               text PRIMARY KEY,
            auth_req_id      text UNIQUE,
            phone_hint       text NOT NULL,
            binding_message  text,
            store            text NOT NULL,
            terminal         text,
            ask_consents     boolean NOT NULL DEFAULT false,
            status           text NOT NULL DEFAULT 'pending'
                             CHECK (status IN ('pending', 'confirmed', 'landed', 'completed', 'expired', 'failed')),
            failure          text,
            member_sub       text REFERENCES members (sub) ON DELETE SET NULL,
            code_hash        text UNIQUE,
            created_at       double precision NOT NULL,
            expires_at       double precision NOT NULL,
            confirmed_at     double precision,
            landed_at        double precision,
            completed_at     double precision,
            phone_mismatch   boolean NOT NULL DEFAULT false,
            session_hash     text,
            ending           text NOT NULL DEFAULT 'webpage' CHECK (ending IN ('webpage', 'app')),
            poll_interval    double precision,
            next_poll_at     double precision
        );
        CREATE INDEX login_requests_store_created ON login_requests (store, created_at);
        CREATE INDEX login_requests_pending ON login_requests (expires_at) WHERE status = 'pending';
        CREATE INDEX login_requests_member ON login_requests (member_sub);
        CREATE INDEX login_requests_created ON login_requests (created_at);
        CREATE INDEX login_requests_confirmed ON login_requests (confirmed_at) WHERE confirmed_at IS NOT NULL;
        CREATE INDEX login_requests_landed ON login_requests (session_hash) WHERE status = 'landed';
        CREATE INDEX login_requests_polling ON login_requests (next_poll_at) WHERE ending = 'app' AND status = 'pending';

        CREATE TABLE member_consents (
            member_sub           text NOT NULL REFERENCES members (sub) ON DELETE CASCADE,
            consent_id           text NOT NULL,
            accepted             boolean NOT NULL,
            changed_at           double precision NOT NULL,
            revoked_reported_at  double precision,
            PRIMARY KEY (member_sub, consent_id)
        );
        CREATE INDEX member_consents_consent ON member_consents (consent_id, accepted);
        CREATE INDEX member_consents_changed ON member_consents (changed_at, consent_id, accepted);
        CREATE INDEX member_consents_revoked ON member_consents (revoked_reported_at) WHERE revoked_reported_at IS NOT NULL;

        CREATE TABLE answers (
            member_sub   text NOT NULL REFERENCES members (sub) ON DELETE CASCADE,
            question     text NOT NULL,
            answered_at  double precision NOT NULL,
            value        text NOT NULL,
            PRIMARY KEY (member_sub, question, answered_at)
        );
        CREATE TABLE skipped_questions (
            member_sub  text NOT NULL REFERENCES members (sub) ON DELETE CASCADE,
            question    text NOT NULL,
            skipped_at  double precision NOT NULL,
            PRIMARY KEY (member_sub, question)
        );

        CREATE TABLE pages (
            id                     bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            slug                   text NOT NULL,
            lang                   text NOT NULL CHECK (lang IN ('nb', 'en')),
            kind                   text NOT NULL CHECK (kind IN ('welcome', 'offer')),
            published_revision_id  bigint,
            created_at             double precision NOT NULL,
            UNIQUE (slug, lang)
        );
        CREATE TABLE page_revisions (
            id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            page_id      bigint NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
            source       text NOT NULL,
            title        text NOT NULL,
            audience     text NOT NULL,
            publish_at   double precision,
            expire_at    double precision,
            author       text NOT NULL,
            created_at   double precision NOT NULL,
            unpublished  boolean NOT NULL DEFAULT false
        );
        ALTER TABLE pages ADD FOREIGN KEY (published_revision_id) REFERENCES page_revisions (id);
        CREATE INDEX page_revisions_page ON page_revisions (page_id, id);

        CREATE TABLE funnel_events (
            id                bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            kind              text NOT NULL,
            store             text,
            login_request_id  text,
            member_sub        text REFERENCES members (sub) ON DELETE SET NULL,
            detail            text,
            occurred_at       double precision NOT NULL
        );
        CREATE INDEX funnel_events_time ON funnel_events (occurred_at, kind);
        CREATE INDEX funnel_events_store ON funnel_events (store, occurred_at, kind);

        CREATE TABLE staff (
            id             bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            phone          text NOT NULL UNIQUE,
            sub            text UNIQUE,
            role           text NOT NULL CHECK (role IN ('admin', 'marketing', 'merchant', 'pos')),
            name           text,
            created_at     double precision NOT NULL,
            last_login_at  double precision
        );
        CREATE TABLE staff_sessions (
            id_hash     text PRIMARY KEY,
            staff_id    bigint NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
            csrf_token  text NOT NULL,
            created_at  double precision NOT NULL,
            expires_at  double precision NOT NULL
        );
        CREATE TABLE audit_log (
            id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            staff_id    bigint REFERENCES staff (id) ON DELETE SET NULL,
            staff_name  text NOT NULL,
            action      text NOT NULL,
            detail      text NOT NULL,
            at          double precision NOT NULL
        );
        CREATE INDEX audit_log_at ON audit_log (at);
        CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND NEW.staff_id IS NULL AND NEW.action = OLD.action AND NEW.detail = OLD.detail AND NEW.at = OLD.at THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'the audit log is append-only';
        END $$;
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

        CREATE TABLE api_keys (
            id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            prefix        text NOT NULL UNIQUE,
            secret_hash   bytea NOT NULL,
            store         text NOT NULL,
            label         text NOT NULL,
            created_at    double precision NOT NULL,
            last_used_at  double precision,
            revoked_at    double precision
        );
        CREATE TABLE sessions (
            id_hash     text PRIMARY KEY,
            member_sub  text NOT NULL REFERENCES members (sub) ON DELETE CASCADE,
            csrf_token  text NOT NULL,
            created_at  double precision NOT NULL,
            expires_at  double precision NOT NULL
        );
        CREATE INDEX sessions_member ON sessions (member_sub);
        CREATE TABLE browser_logins (
            state          text PRIMARY KEY,
            binding_hash   text NOT NULL,
            nonce          text NOT NULL,
            code_verifier  text NOT NULL,
            created_at     double precision NOT NULL,
            expires_at     double precision NOT NULL
        );

        CREATE TABLE consent_receipts (
            id                bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            member_sub        text REFERENCES members (sub) ON DELETE SET NULL,
            subject_hash      text NOT NULL,
            source            text NOT NULL CHECK (source IN ('login', 'webhook', 'member')),
            payload           text NOT NULL,
            login_request_id  text,
            recorded_at       double precision NOT NULL,
            previous_hash     text NOT NULL,
            entry_hash        text NOT NULL UNIQUE
        );
        CREATE INDEX consent_receipts_member ON consent_receipts (member_sub, recorded_at);
        -- Append-only: the one update allowed is an erasure's ON DELETE SET NULL of member_sub.
        CREATE FUNCTION consent_receipts_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND NEW.member_sub IS NULL AND NEW.id = OLD.id AND NEW.subject_hash = OLD.subject_hash
               AND NEW.source = OLD.source AND NEW.payload = OLD.payload AND NEW.recorded_at = OLD.recorded_at
               AND NEW.entry_hash = OLD.entry_hash AND NEW.previous_hash = OLD.previous_hash THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'consent receipts are append-only';
        END $$;
        CREATE TRIGGER consent_receipts_append_only BEFORE UPDATE OR DELETE ON consent_receipts
            FOR EACH ROW EXECUTE FUNCTION consent_receipts_append_only();

        CREATE TABLE stats_daily (
            day       text NOT NULL,
            store     text NOT NULL,
            terminal  text NOT NULL,
            metric    text NOT NULL,
            value     bigint NOT NULL,
            PRIMARY KEY (day, store, terminal, metric)
        );
        CREATE TABLE stats_meta (key text PRIMARY KEY, value text NOT NULL);
        CREATE TABLE preference_questions (
            id          text PRIMARY KEY,
            position    bigint NOT NULL,
            definition  text NOT NULL,
            updated_at  double precision NOT NULL
        );
        CREATE TABLE server_secrets (
            name        text PRIMARY KEY,
            value       bytea NOT NULL,
            created_at  double precision NOT NULL
        );
        CREATE TABLE counters (name text PRIMARY KEY, value bigint NOT NULL);

        CREATE TABLE webhook_endpoints (
            id             bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            url            text NOT NULL,
            secret         text NOT NULL,
            events         text NOT NULL,
            enabled        boolean NOT NULL DEFAULT true,
            created_at     double precision NOT NULL,
            failing_since  double precision
        );
        CREATE TABLE webhook_events (
            id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            event_id    text NOT NULL UNIQUE,
            type        text NOT NULL,
            member_key  text NOT NULL,
            payload     text NOT NULL,
            created_at  double precision NOT NULL
        );
        CREATE TABLE webhook_deliveries (
            event         bigint NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
            endpoint      bigint NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
            member_key    text NOT NULL,
            status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
            attempts      bigint NOT NULL DEFAULT 0,
            next_at       double precision NOT NULL,
            last_status   bigint,
            last_error    text,
            delivered_at  double precision,
            PRIMARY KEY (event, endpoint)
        );
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE status = 'pending';
        CREATE INDEX webhook_deliveries_member ON webhook_deliveries (endpoint, member_key, event) WHERE status = 'pending';

        CREATE TABLE till_pairings (
            code_hash   text PRIMARY KEY,
            store       text NOT NULL,
            label       text NOT NULL,
            created_at  double precision NOT NULL,
            expires_at  double precision NOT NULL,
            used_at     double precision
        );
        """
}
