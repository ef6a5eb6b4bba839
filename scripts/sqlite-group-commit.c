/* What SQLite itself does with group commit: K inserts of the anchors' ~200-byte row per
 * BEGIN IMMEDIATE … COMMIT, each inside its own SAVEPOINT when SAVEPOINTS is 1 (as the app's writer
 * does), WAL and synchronous=NORMAL. The ceiling for the app's write path at K writes per commit, so
 * that the benchmark can tell SQLite's time from ours.
 *   usage: sqlite-group-commit DB_PATH N K SAVEPOINTS     prints: k=.. savepoints=.. inserts_per_s=..
 *   build: cc -O2 -o sqlite-group-commit sqlite-group-commit.c -lsqlite3 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql) {
    sqlite3_stmt *statement;
    if (sqlite3_prepare_v2(db, sql, -1, &statement, NULL) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
        exit(1);
    }
    return statement;
}

static void step(sqlite3 *db, sqlite3_stmt *statement) {
    int rc = sqlite3_step(statement);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "step: %s\n", sqlite3_errmsg(db));
        exit(1);
    }
    sqlite3_reset(statement);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s DB_PATH N K SAVEPOINTS\n", argv[0]);
        return 2;
    }
    long n = atol(argv[2]);
    int k = atoi(argv[3]), savepoints = atoi(argv[4]);
    sqlite3 *db;
    if (sqlite3_open(argv[1], &db) != SQLITE_OK) return 1;
    if (sqlite3_exec(db,
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            "CREATE TABLE IF NOT EXISTS posts(id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL,"
            " author TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL)", NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "setup: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    char author[17], title[41], body[137];
    memset(author, 'a', 16); author[16] = 0;
    memset(title, 't', 40); title[40] = 0;
    memset(body, 'b', 136); body[136] = 0;
    sqlite3_stmt *insert = prepare(db, "INSERT INTO posts(created_at, author, title, body) VALUES(?,?,?,?)");
    sqlite3_stmt *begin = prepare(db, "BEGIN IMMEDIATE"), *commit = prepare(db, "COMMIT");
    sqlite3_stmt *savepoint = prepare(db, "SAVEPOINT w"), *release = prepare(db, "RELEASE w");
    double start = now();
    for (long i = 0; i < n;) {
        step(db, begin);
        for (int j = 0; j < k && i < n; j++, i++) {
            if (savepoints) step(db, savepoint);
            sqlite3_bind_int64(insert, 1, (sqlite3_int64)i);
            sqlite3_bind_text(insert, 2, author, 16, SQLITE_STATIC);
            sqlite3_bind_text(insert, 3, title, 40, SQLITE_STATIC);
            sqlite3_bind_text(insert, 4, body, 136, SQLITE_STATIC);
            step(db, insert);
            if (savepoints) step(db, release);
        }
        step(db, commit);
    }
    printf("k=%d savepoints=%d inserts_per_s=%.0f\n", k, savepoints, n / (now() - start));
    sqlite3_close(db);
    return 0;
}
