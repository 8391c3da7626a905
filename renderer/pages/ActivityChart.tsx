import type { Dashboard } from '../../shared/api';

// Records moved and failures per day, as plain SVG bars. Hand-written on purpose: two series of 30 bars do
// not justify a charting library in the bundle, and SVG needs no network, no canvas and prints well. The
// same numbers are in a table for screen readers and for copying.

const W = 720;
const H = 160;

export function ActivityChart({ days }: { days: Dashboard['days'] }) {
  const max = Math.max(1, ...days.map((d) => d.moved + d.failed));
  const bar = W / days.length;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H + 20}`} role="img" aria-label={`Records moved and failed per day over the last ${days.length} days`} width="100%">
        {days.map((d, i) => {
          const moved = (d.moved / max) * H;
          const failed = (d.failed / max) * H;
          return (
            <g key={d.day}>
              <title>{`${new Date(`${d.day}T12:00:00Z`).toLocaleDateString()}: ${d.moved.toLocaleString()} moved, ${d.failed.toLocaleString()} failed`}</title>
              <rect x={i * bar + 2} y={H - moved - failed} width={bar - 4} height={moved} fill="#0b6e4f" />
              <rect x={i * bar + 2} y={H - failed} width={bar - 4} height={failed} fill="#b42318" />
            </g>
          );
        })}
        <line x1="0" y1={H} x2={W} y2={H} stroke="#9fb3c8" />
        <text x="0" y={H + 16} fontSize="11" fill="#616e7c">{new Date(`${days[0]?.day ?? ''}T12:00:00Z`).toLocaleDateString()}</text>
        <text x={W} y={H + 16} fontSize="11" fill="#616e7c" textAnchor="end">{new Date(`${days[days.length - 1]?.day ?? ''}T12:00:00Z`).toLocaleDateString()}</text>
      </svg>
      <figcaption>
        <span className="legend moved">moved</span> <span className="legend failed">failed</span> — total {days.reduce((s, d) => s + d.moved, 0).toLocaleString()} moved,{' '}
        {days.reduce((s, d) => s + d.failed, 0).toLocaleString()} failed
      </figcaption>
      <table className="visually-hidden" aria-label="Records per day">
        <thead>
          <tr>
            <th>Day</th>
            <th>Moved</th>
            <th>Failed</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.day}>
              <td>{d.day}</td>
              <td>{d.moved}</td>
              <td>{d.failed}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
