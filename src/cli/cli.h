/*
 * cli.h — the subcommands of the jifen command line. Each takes argc/argv after the
 * subcommand name and returns the process exit status.
 */
#ifndef JF_CLI_H
#define JF_CLI_H

#include <stdbool.h>
#include <stddef.h>

struct jf_err;
struct jf_svc;

int cmd_replay(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_settle(int argc, char **argv);
int cmd_demo(int argc, char **argv);
/* Loads the demo shop into a store that has no members yet (else does nothing). 0 when done. */
int cli_demo_load_if_empty(struct jf_svc *svc);
int cmd_migrate(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_admin(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_simulate(int argc, char **argv);

/* The store path: --db PATH, else $JIFEN_DB, else "jifen.db". */
const char *cli_db_path(const char *flag_value);

/* What the subcommands share (commands.c). */
/* Parses "--name VALUE" options into vals (same order as names); the remaining argument, if
 * any, into *rest. Returns false on a bad command line (said on stderr). */
bool cli_parse_opts(int argc, char **argv, const char *const *names, const char **vals,
                    const char **rest);
/* Reads a whole file of at most `max` bytes into a NUL-terminated buffer the caller frees;
 * NULL with err filled (naming `field`) when it cannot be opened or is larger. */
char *cli_read_file(const char *path, size_t max, const char *field, struct jf_err *err);
/* "jifen CMD: field: message" on stderr. */
void cli_print_err(const char *cmd, const struct jf_err *e);
/* Opens the store at `path`, which must exist, for reading (a PostgreSQL store through a read-only
 * connection): 0, or the exit status 2 (said on stderr). */
int cli_open_existing(const char *cmd, const char *path, struct jf_svc **svc);

#endif
