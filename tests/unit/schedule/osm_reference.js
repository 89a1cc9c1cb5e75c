// Reference evaluator for tests/unit/schedule/test_osm_reference.py.
//
// Reads one JSON object on stdin:
//   {"module": "<path to node_modules/opening_hours>", "from": "<ISO>", "to": "<ISO>",
//    "country": "cn" | null, "exprs": ["Mo-Fr 08:00-18:00", ...]}
// and prints {"results": [{"expr": ..., "intervals": [[from_ms, to_ms], ...]} |
//                         {"expr": ..., "error": "..."}]}.
// Dates are interpreted in the process time zone, so run it with TZ=<zone>.
'use strict';
const fs = require('fs');

function evaluate(OpeningHours, expr, from, to, nominatim) {
  try {
    const oh = new OpeningHours(expr, nominatim);
    const intervals = oh.getOpenIntervals(from, to);
    return { expr, intervals: intervals.map((iv) => [iv[0].getTime(), iv[1].getTime(), !!iv[2]]) };
  } catch (err) {
    return { expr, error: String(err) };
  }
}

function main() {
  const request = JSON.parse(fs.readFileSync(0, 'utf8'));
  const OpeningHours = require(request.module);
  const from = new Date(request.from);
  const to = new Date(request.to);
  const nominatim = request.country
    ? { lat: 30.66, lon: 104.06, address: { country_code: request.country } }
    : null;
  const results = request.exprs.map((expr) => evaluate(OpeningHours, expr, from, to, nominatim));
  process.stdout.write(JSON.stringify({ results }));
}

main();
