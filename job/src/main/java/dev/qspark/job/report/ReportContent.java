package dev.qspark.job.report;

import java.util.List;
import java.util.Map;

/**
 * Everything the report page shows, computed before rendering.
 *
 * @param front the Pareto front, ordered by bits per weight
 * @param csvFiles the file names of the CSV exports
 */
record ReportContent(
    String sweepDir,
    String sweepName,
    Map<String, String> manifestFacts,
    int tensorCount,
    List<ConfigSummary> summaries,
    List<ConfigSummary> front,
    SqnrBreakdown byLayer,
    SqnrBreakdown byModuleType,
    List<VersionComparison> versionComparisons,
    List<String> csvFiles) {}
