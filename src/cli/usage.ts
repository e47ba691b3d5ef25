export const USAGE = `usage: agenthub [command] [options]

commands:
  serve [--config PATH]          start the hub (default when no command is given)
  join-challenge [--config PATH] print a fresh root join token + PIN (only while no root exists)
  --node-mode | node [--config PATH]
                                 run an agent node daemon (NodeService over TLS gRPC)
  certs issue-node --name HOST [--ip IP] --out DIR
                                 on the hub: issue a node's certificates from the hub's CA
  backup --out FILE [--config PATH]
                                 a consistent backup (database, keys, certificates), also while the hub runs
  restore FILE [--force] [--config PATH]
                                 restore a backup into the data dir (refused while a hub runs on it)
  actor <command> [--json]       what agents run inside their workdir (see: agenthub actor help)
  --version                      print the version

people's commands (a client of a hub's REST API; each takes --json and --hub URL;
see agenthub <noun> help):
  login [--hub URL] [--username U] [--password-stdin]
                                 log in; the token is kept in ~/.config/agenthub/credentials (per hub)
  logout                         revoke and forget the stored token
  teams list|show|apply -f FILE|delete|start|stop
                                 teams (TEAM: an id or a name; FILE: .toml or .json)
  runs start TEAM [--input K=V]... [--idempotency-key K] [--watch] | list TEAM | show RUN | watch RUN
       | cancel RUN | resume RUN | restart RUN
  reviews list [--run RUN] | approve REVIEW [--option ID] | reject REVIEW [--option ID]
  nodes list | add ID --target HOST:PORT | health NODE      (root)
  agents list | logs AGENT [--follow]
  webhooks list [--team TEAM] | add URL [--team TEAM] [--event TYPE]... [--format standard|slack]
       | deliveries WEBHOOK | delete WEBHOOK
  doctor [--config PATH]         check this machine's set-up, one line per check with a fix
  AGENTHUB_HUB and AGENTHUB_TOKEN override the stored hub and token.

exit codes:
  0  done (runs watch: the run completed)
  1  the hub refused (its code and message are printed), or a doctor check failed
  2  usage mistake
  3  the hub could not be reached
  4  not logged in, or the session expired (agenthub login)
  5  runs watch / runs start --watch: the run failed
  6  runs watch / runs start --watch: the run was canceled

Data lives in ~/.agenthub (or $AGENTHUB_HOME); config in ~/.agenthub/config.toml.
`;

/** A usage mistake: print the usage and exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
