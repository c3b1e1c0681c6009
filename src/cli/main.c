/*
 * main.c — the jifen command: dispatches to the subcommands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: jifen <command> [options]\n"
               "\n"
               "commands:\n"
               "  replay [--rules FILE] [--db PATH] SCENARIO.jsonl   apply a scenario, print "
               "snapshots\n"
               "  settle --day YYYY-MM-DD [--db PATH]                settle every day up to DAY\n"
               "  verify [--db PATH]                                 check the ledger "
               "invariants\n"
               "  migrate [--db PATH]                                create or upgrade a store\n"
               "  demo [--db PATH]                                   run the demo scenario and "
               "print a summary\n"
               "  serve [--db PATH] [--bind ADDR] [--port N]         run the HTTP server\n"
               "  admin create USERNAME [--db PATH]                  create an admin (password "
               "on stdin)\n"
               "  report liabilities [--db PATH] [--json]            what the platform owes now\n"
               "  report daily --from DAY --to DAY [--db PATH] [--csv]\n"
               "                                                     the ledger day by day\n"
               "  simulate --out DIR [--rules FILE] [--config SIM.json] [--members N]\n"
               "           [--days D] [--seed S] [--keep-db PATH]    grow a synthetic membership "
               "under\n"
               "                                                     the rules, settle every day, "
               "write\n"
               "                                                     daily.csv, summary.md and "
               "charts\n"
               "  rules check [RULES.json | --defaults] [--db PATH] [--json]\n"
               "                                                     each reward's depth and "
               "cost, the\n"
               "                                                     worst cases and the "
               "compliance warnings\n"
               "\n"
               "The store is --db PATH, else $JIFEN_DB, else jifen.db (SQLite); a postgres://...\n"
               "URL is a PostgreSQL store.\n");
}

const char *cli_db_path(const char *flag_value)
{
    if (flag_value != NULL) {
        return flag_value;
    }
    const char *env = getenv("JIFEN_DB");
    return env != NULL && env[0] != '\0' ? env : "jifen.db";
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "replay") == 0) {
        return cmd_replay(argc - 2, argv + 2);
    }
    if (strcmp(cmd, "verify") == 0) {
        return cmd_verify(argc - 2, argv + 2);
    }
    if (strcmp(cmd, "settle") == 0) {
        return cmd_settle(argc - 2, argv + 2);
    }
    if (strcmp(cmd, "migrate") == 0) {
        return cmd_migrate(argc - 2, argv + 2);
    }
    if (strcmp(cmd, "admin") == 0) {
        return cmd_admin(argc - 2, argv + 2);
    }
    if (strcmp(cmd, "serve") == 0) {
        return cmd_serve(argc - 2, argv + 2);
    }
    if (strcmp(cmd, "report") == 0) {
        return cmd_report(argc - 2, argv + 2);
    }
    if (strcmp(cmd, "rules") == 0) {
        return cmd_rules(argc - 2, argv + 2);
    }
    if (strcmp(cmd, "simulate") == 0) {
        return cmd_simulate(argc - 2, argv + 2);
    }
    if (strcmp(cmd, "demo") == 0) {
        return cmd_demo(argc - 2, argv + 2);
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "jifen: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
