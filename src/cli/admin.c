/*
 * admin.c — `jifen admin create USERNAME [--db PATH]`: creates an admin account; the password
 * is read from the first line of standard input (never from the command line, where other
 * users of the machine could read it).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "cli.h"

/* `jifen admin apikey NAME [--db PATH]`: prints a new shop API key (shown once). */
static int apikey(int argc, char **argv)
{
    const char *db = argc == 4 && strcmp(argv[2], "--db") == 0 ? argv[3] : NULL;
    if (argc != 2 && db == NULL) {
        fprintf(stderr, "usage: jifen admin apikey NAME [--db PATH]\n");
        return 2;
    }
    struct jf_err err;
    jf_err_clear(&err);
    struct jf_svc *svc;
    char key[JF_TOKEN_LEN + 1];
    struct jf_ctx ctx = {.now = (int64_t)time(NULL), .actor = "cli"};
    if (jf_auth_init(&err) != JF_OK || jf_svc_open(cli_db_path(db), &svc, &err) != JF_OK) {
        fprintf(stderr, "jifen admin: %s\n", err.msg);
        return 1;
    }
    int rc = jf_svc_apikey_create(svc, &ctx, argv[1], key, &err);
    jf_svc_close(svc);
    if (rc != JF_OK) {
        fprintf(stderr, "jifen admin: %s%s%s\n", err.field, err.field[0] ? ": " : "", err.msg);
        return 1;
    }
    printf("%s\n", key);
    return 0;
}

int cmd_admin(int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "apikey") == 0) {
        return apikey(argc, argv);
    }
    const char *db = NULL, *user = NULL;
    if (argc >= 2 && strcmp(argv[0], "create") == 0) {
        user = argv[1];
        if (argc == 4 && strcmp(argv[2], "--db") == 0) {
            db = argv[3];
        } else if (argc != 2) {
            user = NULL;
        }
    }
    if (user == NULL) {
        fprintf(stderr, "usage: echo PASSWORD | jifen admin create USERNAME [--db PATH]\n");
        return 2;
    }
    char password[256];
    if (fgets(password, sizeof password, stdin) == NULL) {
        fprintf(stderr, "jifen admin: give the password on standard input\n");
        return 2;
    }
    password[strcspn(password, "\r\n")] = '\0';
    struct jf_err err;
    jf_err_clear(&err);
    char hash[JF_PASSWORD_HASH_MAX];
    struct jf_svc *svc;
    if (jf_auth_init(&err) != JF_OK || jf_password_hash(password, hash, &err) != JF_OK ||
        jf_svc_open(cli_db_path(db), &svc, &err) != JF_OK) {
        fprintf(stderr, "jifen admin: %s%s%s\n", err.field, err.field[0] ? ": " : "", err.msg);
        return 1;
    }
    struct jf_ctx ctx = {.now = (int64_t)time(NULL), .actor = "cli"};
    int64_t id;
    int rc = jf_svc_admin_create(svc, &ctx, user, hash, &id, &err);
    jf_svc_close(svc);
    if (rc != JF_OK) {
        fprintf(stderr, "jifen admin: %s%s%s\n", err.field, err.field[0] ? ": " : "", err.msg);
        return 1;
    }
    printf("admin '%s' created\n", user);
    return 0;
}
