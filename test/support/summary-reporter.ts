/**
 * Ends a test run with one plain line, `N passed, N failed, N skipped`, the closing line CI tooling
 * reads in any language (Vitest's own summary is decorated and split over lines).
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  #line = '';

  onTestRunEnd(modules: readonly TestModule[]): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed++;
    }
    this.#line = `${passed} passed, ${failed} failed, ${skipped} skipped`;
  }

  // Printed from the last hook, after Vitest's own summary, so it is the run's closing line.
  onFinished(): void {
    if (this.#line) process.stdout.write(`${this.#line}\n`);
  }
}
