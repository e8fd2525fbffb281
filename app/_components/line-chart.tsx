import type { LineChartModel } from '@/lib/charts/line-chart';

/**
 * A chart model (lib/charts/line-chart.ts) as SVG, rendered on the server. Accessible: the SVG is an
 * image with a title and a description, and the numbers are also in a table behind a disclosure.
 */
export function LineChart({ id, model, caption }: { id: string; model: LineChartModel; caption?: string }) {
  const { plot } = model;
  const right = plot.x + plot.width;
  const bottom = plot.y + plot.height;
  return (
    <figure className="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>
        <strong>
          <bdi>{model.title}</bdi>
        </strong>
        {caption ? <span className="muted"> {caption}</span> : null}
      </figcaption>
      <svg viewBox={`0 0 ${model.width} ${model.height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="chart-svg">
        <title id={`${id}-title`}>{model.title}</title>
        <desc id={`${id}-desc`}>{model.description}</desc>
        <g className="chart-grid" aria-hidden="true">
          {model.yTicks.map((t) => (
            <g key={`y${t.y}`}>
              <line x1={plot.x} x2={right} y1={t.y} y2={t.y} />
              <text x={plot.x - 6} y={t.y} dy="0.32em" textAnchor="end">
                {t.label}
              </text>
            </g>
          ))}
          {model.xTicks.map((t) => (
            <g key={`x${t.x}`}>
              <line x1={t.x} x2={t.x} y1={plot.y} y2={bottom} />
              <text x={t.x} y={bottom + 18} textAnchor="middle">
                {t.label}
              </text>
            </g>
          ))}
          <line className="chart-axis" x1={plot.x} x2={right} y1={bottom} y2={bottom} />
          {/* Under the value labels, left of the first time: the zone of the time axis. */}
          <text x={plot.x - 6} y={bottom + 18} textAnchor="end" className="chart-zone">
            {model.zone}
          </text>
        </g>
        {model.band ? <path className="chart-band" d={model.band} aria-hidden="true" /> : null}
        {model.lines.map((d, i) => (
          <path key={i} className="chart-line" d={d} aria-hidden="true" />
        ))}
        {model.projection ? (
          <g className="chart-projection" aria-hidden="true">
            <line x1={model.projection.nowX} x2={model.projection.nowX} y1={plot.y} y2={bottom} className="chart-now" />
            <path d={model.projection.path} />
          </g>
        ) : null}
        {model.dots.map((p, i) => (
          <circle key={i} className="chart-dot" cx={p.x} cy={p.y} r={2.5} aria-hidden="true" />
        ))}
        {model.thresholds.map((t) => (
          // Told apart by dash pattern and label, not by colour alone.
          <g key={t.kind} className={`chart-threshold chart-${t.kind}`} aria-hidden="true">
            <line x1={plot.x} x2={right} y1={t.y} y2={t.y} />
            {/* Warning below its line, critical and capacity above: close thresholds never overprint. */}
            <text x={right - 4} y={t.kind === 'warning' ? t.y + 13 : t.y - 4} textAnchor="end">
              {t.label}
            </text>
          </g>
        ))}
        {model.empty ? (
          <text x={plot.x + plot.width / 2} y={plot.y + plot.height / 2} textAnchor="middle" className="chart-empty">
            No samples in this period
          </text>
        ) : null}
      </svg>
      {model.table.length > 0 ? (
        <details>
          <summary>Data table</summary>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">{model.title}: lowest, highest and last value per period</caption>
              <thead>
                <tr>
                  <th scope="col">Period</th>
                  <th scope="col">Lowest</th>
                  <th scope="col">Highest</th>
                  <th scope="col">Last</th>
                </tr>
              </thead>
              <tbody>
                {model.table.map((row) => (
                  <tr key={row.period}>
                    <td>{row.period}</td>
                    <td>{row.low}</td>
                    <td>{row.high}</td>
                    <td>{row.last}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
    </figure>
  );
}
