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

Data lives in ~/.agenthub (or $AGENTHUB_HOME); config in ~/.agenthub/config.toml.
`;

/** A usage mistake: print the usage and exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
