import { useEffect, useMemo, useState } from 'react';
import type { Definition, DefinitionKind } from '../../bridge';
import { describeEdge, groupByKind, summaryOf } from '../../stores/definitions';
import { useWorkspace } from '../../stores/workspace-context';
import { useDefinitions, useDefinitionsStore } from './definitions-context';
import './definitions.css';

/** The sidebar's DEFINITIONS: kinds with counts, a line per definition with its problems, then relations. */
export function DefinitionsSection({ repo }: { repo: string }) {
  const store = useDefinitionsStore();
  const definitions = useDefinitions((s) => s.definitions);
  const edges = useDefinitions((s) => s.edges);
  const problem = useDefinitions((s) => s.problem);
  const open = useWorkspace('tabs', (s) => s.open);
  const [collapsed, setCollapsed] = useState<ReadonlySet<DefinitionKind>>(new Set());
  const groups = useMemo(() => groupByKind(definitions), [definitions]);

  useEffect(() => store.getState().attach(), [store]);
  useEffect(() => void store.getState().load(repo), [store, repo]);

  const toggle = (kind: DefinitionKind) => {
    const next = new Set(collapsed);
    if (!next.delete(kind)) next.add(kind);
    setCollapsed(next);
  };

  return (
    <section className="defs" aria-labelledby="defs-title">
      <div className="ws-section-head">
        <h2 id="defs-title" className="ws-section-title">
          Definitions
        </h2>
      </div>
      {problem && (
        <p className="ws-empty" role="alert">
          {problem}
        </p>
      )}
      {groups.length === 0 && !problem && <p className="ws-empty">No container definitions yet.</p>}
      {groups.map(({ kind, definitions: members }) => {
        const expanded = !collapsed.has(kind);
        const listId = `defs-${kind}`;
        return (
          <div key={kind}>
            <h3 className="defs-kind-head">
              <button
                type="button"
                className="defs-kind"
                aria-expanded={expanded}
                aria-controls={listId}
                onClick={() => toggle(kind)}
              >
                <span aria-hidden="true">{expanded ? '▾' : '▸'}</span> {kind} ({members.length})
              </button>
            </h3>
            {expanded && (
              <ul id={listId} className="defs-list" aria-label={`${kind} definitions`}>
                {members.map((definition) => (
                  <li key={definition.path}>
                    <DefinitionRow definition={definition} onOpen={() => void open(repo, definition.path)} />
                  </li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
      {edges.length > 0 && (
        <>
          <h3 className="ws-section-title defs-relations-title">Relations</h3>
          <ul className="defs-list" aria-label="Relations">
            {edges.map((edge) => {
              const text = describeEdge(edge);
              return (
                <li key={`${text} ${edge.range.start.line}`}>
                  <button type="button" className="defs-relation" onClick={() => void open(repo, edge.file)}>
                    {text}
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}

function DefinitionRow({ definition, onOpen }: { definition: Definition; onOpen: () => void }) {
  const summary = summaryOf(definition);
  const counts = [
    definition.errors > 0 && `${definition.errors} ${definition.errors === 1 ? 'error' : 'errors'}`,
    definition.warnings > 0 && `${definition.warnings} ${definition.warnings === 1 ? 'warning' : 'warnings'}`,
  ].filter((c): c is string => !!c);
  return (
    <button
      type="button"
      className="defs-row"
      aria-label={[definition.path, summary, ...counts].join(', ')}
      title={`Open ${definition.path}`}
      onClick={onOpen}
    >
      <span className="defs-path">{definition.path}</span>
      {definition.errors > 0 && (
        <span className="defs-count defs-errors" aria-hidden="true">
          {definition.errors}
        </span>
      )}
      {definition.warnings > 0 && (
        <span className="defs-count defs-warnings" aria-hidden="true">
          {definition.warnings}
        </span>
      )}
      <span className="defs-summary">{summary}</span>
    </button>
  );
}
