import { type FormEvent, useEffect, useState } from "react";
import { api, type Schemas, unwrap } from "../api/client";
import { usePageTitle } from "../attention";
import { ErrorText, Section, Status, Time, useAction, useLoad } from "../components/common";
import { Link, paths } from "../router";

type Node = Schemas["AgentNode"];
type Agent = Schemas["Agent"];

const POLL_MS = 5_000;

/** The sandbox a node's agents run in, from a probe made when the page opened. */
function useIsolation(nodes: Node[] | undefined) {
  const ids = (nodes ?? []).map((n) => n.id).join(",");
  return useLoad(async () => {
    const out = new Map<string, string | null>();
    await Promise.all(
      ids
        .split(",")
        .filter(Boolean)
        .map(async (id) => {
          const h = await unwrap(
            api.GET("/api/admin/agent-nodes/{id}/health", { params: { path: { id } } }),
          ).catch(() => undefined);
          out.set(id, h?.isolation ?? null);
        }),
    );
    return out;
  }, [ids]);
}

function NodeCard({
  node,
  isolation,
  agents,
}: {
  node: Node;
  isolation: string | null | undefined;
  agents: Agent[];
}) {
  return (
    <li className="card" aria-label={`Node ${node.name}`}>
      <div className="card-head">
        <h2 className="h3">
          {node.name} {node.name !== node.id ? <span className="muted small mono">{node.id}</span> : null}
        </h2>
        <Status value={node.status} />
      </div>
      <dl className="facts">
        <dt>Address</dt>
        <dd className="mono">{node.grpc_target}</dd>
        <dt>Probe latency</dt>
        <dd>{node.probe_latency_ms === null ? "—" : `${node.probe_latency_ms} ms`}</dd>
        <dt>Last probe</dt>
        <dd>
          <Time iso={node.last_probe_at} />
        </dd>
        <dt>Isolation</dt>
        <dd>
          {isolation === undefined ? "…" : isolation === null ? "unknown (unreachable)" : isolation}
          {isolation === "none" ? <span className="warning-text"> (agents are not sandboxed)</span> : null}
        </dd>
        <dt>Running agents</dt>
        <dd>{node.running_agents}</dd>
      </dl>
      {node.last_error ? <p className="error-text small">{node.last_error}</p> : null}
      {agents.length > 0 ? (
        <ul className="list compact">
          {agents.map((a) => (
            <li key={a.id} className="row">
              <Link to={paths.agent(a.id)}>{a.name}</Link>
              <Status value={a.status} />
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function RegisterNode({ onRegistered }: { onRegistered: () => void }) {
  const [f, setF] = useState({ id: "", host: "", ip: "", port: "50052" });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value });
  const host = f.host.trim() || "NODE_HOST";
  const id = f.id.trim() || "NODE_ID";
  const certs = `agenthub certs issue-node --name ${host}${f.ip.trim() ? ` --ip ${f.ip.trim()}` : ""} --out node-certs`;
  const config = `safe_paths = ["~/projects"]\n[node]\nid = "${id}"\n[internal_grpc]\nlisten = "0.0.0.0:${f.port || "50052"}"`;
  const register = useAction(async () => {
    await unwrap(
      api.POST("/api/admin/agent-nodes", {
        body: {
          id: f.id.trim(),
          name: f.id.trim(),
          grpc_target: `${f.ip.trim() || f.host.trim()}:${f.port}`,
          tls_server_name: f.host.trim() || null,
        },
      }),
    );
    onRegistered();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void register.run();
  };
  return (
    <Section title="Register a node">
      <form className="form" onSubmit={submit}>
        <div className="grid2">
          <label>
            Node id <span className="muted small">(its [node] id)</span>
            <input required value={f.id} onChange={set("id")} placeholder="build-02" />
          </label>
          <label>
            Host name <span className="muted small">(in its certificate)</span>
            <input required value={f.host} onChange={set("host")} placeholder="build-02.example" />
          </label>
          <label>
            IP address <span className="muted small">(optional)</span>
            <input value={f.ip} onChange={set("ip")} placeholder="10.0.0.12" />
          </label>
          <label>
            Port
            <input required inputMode="numeric" value={f.port} onChange={set("port")} />
          </label>
        </div>
        <ol className="steps-howto">
          <li>
            On the hub's machine, issue the node's certificates:
            <pre className="command">{certs}</pre>
          </li>
          <li>
            Copy <code>node-certs/</code> to the node as <code>~/.agenthub/internal-grpc</code>, give it this
            <code> ~/.agenthub/config.toml</code>, and start it with <code>agenthub --node-mode</code>:
            <pre className="command">{config}</pre>
          </li>
          <li>Register it here (the hub dials it first; nothing is saved if it cannot).</li>
        </ol>
        <button type="submit" className="primary" disabled={register.pending}>
          {register.pending ? "Connecting…" : "Register node"}
        </button>
        <ErrorText error={register.error} />
      </form>
    </Section>
  );
}

/** Root's view of the agent nodes: health, probe latency, isolation, agents; and registering one. */
export function NodesPage() {
  usePageTitle("Nodes");
  const nodes = useLoad(() => unwrap(api.GET("/api/admin/agent-nodes")), []);
  const agents = useLoad(() => unwrap(api.GET("/api/agents")), []);
  const isolation = useIsolation(nodes.data?.nodes);
  const { reload } = nodes;
  const { reload: reloadAgents } = agents;
  useEffect(() => {
    const t = setInterval(() => {
      reload();
      reloadAgents();
    }, POLL_MS);
    return () => clearInterval(t);
  }, [reload, reloadAgents]);
  return (
    <main id="main">
      <h1>Nodes</h1>
      <ErrorText error={nodes.error} />
      <ul className="list grid">
        {nodes.data?.nodes.map((n) => (
          <NodeCard
            key={n.id}
            node={n}
            isolation={isolation.data?.get(n.id)}
            agents={(agents.data?.agents ?? []).filter((a) => a.node_id === n.id)}
          />
        ))}
      </ul>
      <RegisterNode onRegistered={reload} />
    </main>
  );
}
