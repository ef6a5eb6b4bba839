extension Schema {
    /// Version 15: the welcome offer. A new member gets one single-use code in the transaction of their
    /// landing; a till redeems it once (`redeemed_at` is set by a conditional UPDATE, so two tills at
    /// once cannot both succeed). Erasure unlinks the code from the member (then it answers "gone").
    /// `offer_settings` is marketing's one offer: its words in nb and en and how many days a code is
    /// valid (0: no codes are given).
    static let version15 = """
        CREATE TABLE welcome_offers (
            code              TEXT PRIMARY KEY NOT NULL,
            member_sub        TEXT UNIQUE REFERENCES members (sub) ON DELETE SET NULL,
            login_request_id  TEXT,
            issued_at         REAL NOT NULL,
            valid_until       REAL NOT NULL,
            redeemed_at       REAL,
            redeemed_store    TEXT,
            redeemed_by       TEXT
        ) WITHOUT ROWID;
        CREATE INDEX welcome_offers_request ON welcome_offers (login_request_id);
        CREATE INDEX welcome_offers_redeemed ON welcome_offers (redeemed_at) WHERE redeemed_at IS NOT NULL;
        CREATE TABLE offer_settings (
            id          INTEGER PRIMARY KEY CHECK (id = 1),
            text_nb     TEXT NOT NULL,
            text_en     TEXT NOT NULL,
            valid_days  INTEGER NOT NULL CHECK (valid_days BETWEEN 0 AND 366),
            updated_at  REAL NOT NULL
        );
        INSERT INTO offer_settings (id, text_nb, text_en, valid_days, updated_at)
        VALUES (1, '10 % på første kjøp', '10 % off your first purchase', 30, 0);
        """

    static let version15Postgres = """
        CREATE TABLE welcome_offers (
            code              text PRIMARY KEY,
            member_sub        text UNIQUE REFERENCES members (sub) ON DELETE SET NULL,
            login_request_id  text,
            issued_at         double precision NOT NULL,
            valid_until       double precision NOT NULL,
            redeemed_at       double precision,
            redeemed_store    text,
            redeemed_by       text
        );
        CREATE INDEX welcome_offers_request ON welcome_offers (login_request_id);
        CREATE INDEX welcome_offers_redeemed ON welcome_offers (redeemed_at) WHERE redeemed_at IS NOT NULL;
        CREATE TABLE offer_settings (
            id          integer PRIMARY KEY CHECK (id = 1),
            text_nb     text NOT NULL,
            text_en     text NOT NULL,
            valid_days  integer NOT NULL CHECK (valid_days BETWEEN 0 AND 366),
            updated_at  double precision NOT NULL
        );
        INSERT INTO offer_settings (id, text_nb, text_en, valid_days, updated_at)
        VALUES (1, '10 % på første kjøp', '10 % off your first purchase', 30, 0);
        """
}
