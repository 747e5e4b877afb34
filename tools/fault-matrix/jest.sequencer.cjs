// Longest first. Jest's own order in a clean clone (no timing cache) is by file size, which put the
// CI-size matrix groups (the smallest files, the longest runs) last, after every other spec had
// taken a worker. Here: the groups, then the other specs that start a stack, then the rest by size.
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const FIRST = [
  'fault-matrix-network.spec.ts',
  'fault-matrix-processes.spec.ts',
  'fault-matrix.spec.ts',
  'fault-matrix-breaker.spec.ts',
  'hostile-inputs-iot-hub.spec.ts',
  'window-host-kill.spec.ts',
];

class LongestFirst extends Sequencer {
  sort(tests) {
    const bySize = super.sort(tests);
    const rank = (test) => {
      const i = FIRST.indexOf(path.basename(test.path));
      return i < 0 ? FIRST.length : i;
    };
    return bySize.map((test, i) => ({ test, i })).sort((a, b) => rank(a.test) - rank(b.test) || a.i - b.i).map((x) => x.test);
  }
}

module.exports = LongestFirst;
