/*
 * cli.h — the subcommands of the jifen command line. Each takes argc/argv after the
 * subcommand name and returns the process exit status.
 */
#ifndef JF_CLI_H
#define JF_CLI_H

int cmd_replay(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_settle(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_admin(int argc, char **argv);

/* The store path: --db PATH, else $JIFEN_DB, else "jifen.db". */
const char *cli_db_path(const char *flag_value);

#endif
