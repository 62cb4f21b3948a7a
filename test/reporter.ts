/**
 * The counting half of `npm test` (scripts/test.mjs), as a vitest reporter (vitest.config.ts adds
 * it after the default one). At the end of a run it prints each project's counts, and a banner for
 * each project the config left out (no Chromium) that this run would have run. With
 * SSEKIT_TEST_REPORT set it also writes them there as a RunReport, from which scripts/test.mjs
 * totals its closing line and checks that every project it expects ran tests.
 */
import { writeFileSync } from "node:fs";
import type { Reporter, SerializedError, TestModule, Vitest } from "vitest/node";

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/** What scripts/test.mjs reads of one run. */
export interface RunReport extends Counts {
  /** The projects with a passed test, by configured name ("browser", not "browser (chromium)"). */
  ran: string[];
  /** Projects left out of the config that this run would have run, with the reason. */
  notRun: Record<string, string>;
}

export class CountsReporter implements Reporter {
  #vitest: Vitest | undefined;

  /** `leftOut`: the projects the config left out, with the reason (e.g. no Chromium). */
  constructor(private readonly leftOut: Record<string, string> = {}) {}

  onInit(vitest: Vitest): void {
    this.#vitest = vitest;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<SerializedError>): void {
    const vitest = this.#vitest;
    if (!vitest) return;
    const projects: Record<string, Counts> = {};
    const countsOf = (name: string) => {
      projects[name] ??= { passed: 0, failed: 0, skipped: 0 };
      return projects[name];
    };
    // Tests that skipped themselves at run time (`ctx.skip(note)`), with the reason they gave.
    const notes: string[] = [];
    for (const project of vitest.projects) countsOf(project.name);
    for (const module of modules) {
      const counts = countsOf(module.project.name);
      let failed = 0;
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === "passed") counts.passed++;
        else if (result.state === "failed") failed++;
        else counts.skipped++; // skipped, or still pending in an interrupted run
        if (result.state === "skipped" && result.note)
          notes.push(`${test.fullName}: ${result.note}`);
      }
      // A module that failed with no failing test (syntax error, throwing import, failing hook)
      // counts as one failure.
      counts.failed += failed === 0 && !module.ok() ? 1 : failed;
    }

    // The --project filter (exact names only: this config has no patterns to match).
    const filter = vitest.config.project;
    const notRun = Object.fromEntries(
      Object.entries(this.leftOut).filter(([name]) => filter.length === 0 || filter.includes(name)),
    );
    const log = (line: string) => vitest.logger.log(line);
    log("");
    for (const [name, c] of Object.entries(projects)) {
      log(
        `  ${name} project (Node ${process.versions.node}): ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`,
      );
    }
    for (const note of notes) log(`  skipped: ${note}`);
    if (errors.length > 0) log(`  errors outside tests: ${errors.length}`);
    for (const [name, why] of Object.entries(notRun)) {
      const edge = "#".repeat(why.length + 2);
      log(`\n${edge}\n# ${name.toUpperCase()} TESTS SKIPPED\n# ${why}\n${edge}\n`);
    }
    if (process.env.SSEKIT_TEST_REPORT) {
      const all = Object.values(projects);
      const sum = (key: keyof Counts) => all.reduce((n, counts) => n + counts[key], 0);
      const report: RunReport = {
        passed: sum("passed"),
        // Errors outside any test fail the run too: each counts as a failure.
        failed: sum("failed") + errors.length,
        skipped: sum("skipped"),
        ran: Object.entries(projects)
          .filter(([, counts]) => counts.passed > 0)
          .map(([name]) => name.replace(/ \(.*\)$/, "")),
        notRun,
      };
      writeFileSync(process.env.SSEKIT_TEST_REPORT, `${JSON.stringify(report)}\n`);
    }
  }
}
