// Reference evaluator for tests/unit/core/schedule/test_osm_reference.py.
//
// Reads one JSON object on stdin:
//   {"module": "<path to node_modules/opening_hours>", "from": "<ISO>", "to": "<ISO>",
//    "country": "cn" | null, "exprs": ["Mo-Fr 08:00-18:00", ...]}
// and prints {"results": [{"expr": ..., "intervals": [[from_ms, to_ms, unknown, comment], ...],
//                          "warnings": ["...", ...]} |
//                         {"expr": ..., "error": "..."}]}.
// With "points": {"from": "<ISO>", "days": N, "minutes": [M, ...]} it prints instead
//   {"points": {"<expr>": "0110…"}}: getState() at each minute M of each of N days, day by
//   day (point queries, independent of getOpenIntervals' iteration, which can skip a change).
// Dates are interpreted in the process time zone, so run it with TZ=<zone>.
'use strict';
const fs = require('fs');

function evaluate(OpeningHours, expr, from, to, nominatim) {
  try {
    const oh = new OpeningHours(expr, nominatim);
    const intervals = oh.getOpenIntervals(from, to);
    return {
      expr,
      intervals: intervals.map((iv) => [iv[0].getTime(), iv[1].getTime(), !!iv[2], iv[3] === undefined ? null : iv[3]]),
      warnings: oh.getWarnings(),
    };
  } catch (err) {
    return { expr, error: String(err) };
  }
}

function points(OpeningHours, request) {
  const first = new Date(request.points.from);
  const out = {};
  for (const expr of request.exprs) {
    let oh;
    try {
      oh = new OpeningHours(expr, null);
    } catch (err) {
      out[expr] = null;
      continue;
    }
    let bits = '';
    for (let n = 0; n < request.points.days; n++) {
      for (const minute of request.points.minutes) {
        const at = new Date(first.getFullYear(), first.getMonth(), first.getDate() + n, 0, minute);
        bits += oh.getState(at) ? '1' : '0';
      }
    }
    out[expr] = bits;
  }
  return out;
}

function main() {
  const request = JSON.parse(fs.readFileSync(0, 'utf8'));
  const OpeningHours = require(request.module);
  if (request.points) {
    process.stdout.write(JSON.stringify({ points: points(OpeningHours, request) }));
    return;
  }
  const from = new Date(request.from);
  const to = new Date(request.to);
  const nominatim = request.country
    ? { lat: 30.66, lon: 104.06, address: { country_code: request.country } }
    : null;
  const results = request.exprs.map((expr) => evaluate(OpeningHours, expr, from, to, nominatim));
  process.stdout.write(JSON.stringify({ results }));
}

main();
