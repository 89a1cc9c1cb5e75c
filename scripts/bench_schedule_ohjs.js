// The opening_hours.js side of scripts/bench_schedule.py (issue #18): reads a JSON job on stdin
// ({values: [[number, osm], ...], year, minute_numbers: [...]}) and prints JSON timings.
// Run with TZ=Asia/Shanghai (opening_hours.js works in the process's local time) and
// NODE_PATH pointing at a folder holding the opening_hours package (never in the repo).
"use strict";
const OpeningHours = require("opening_hours");

function now() { return Number(process.hrtime.bigint()) / 1e9; }

function main(job) {
  const year = job.year;
  const start = new Date(year, 0, 1), end = new Date(year + 1, 0, 1);
  let compiled = {}, compileS = Infinity, intervalsS = Infinity, firstS = null, intervals = 0;
  for (let run = 0; run < (job.repeats || 1); run++) {   // fresh objects each time; the best of the runs
    compiled = {};
    let t0 = now();
    for (const [number, value] of job.values) compiled[number] = new OpeningHours(value, null, { mode: 0 });
    compileS = Math.min(compileS, now() - t0);
    intervals = 0;
    t0 = now();
    for (const [number] of job.values) intervals += compiled[number].getOpenIntervals(start, end).length;
    const took = now() - t0;
    if (firstS === null) firstS = took;
    intervalsS = Math.min(intervalsS, took);
  }
  const isOpen = {};
  for (const number of job.minute_numbers) {
    const oh = compiled[number];
    let opened = 0;
    const instants = [];
    for (let m = 0; m < 525600; m++) instants.push(new Date(start.getTime() + m * 60000));
    const t0 = now();
    for (const at of instants) if (oh.getState(at)) opened++;
    isOpen[number] = { seconds: now() - t0, calls: instants.length, open_minutes: opened };
  }
  return { engine: "opening_hours.js", compile_s: compileS, intervals_s: intervalsS, first_intervals_s: firstS, intervals, is_open: isOpen };
}

let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => { process.stdout.write(JSON.stringify(main(JSON.parse(input)))); });
