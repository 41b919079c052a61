package io.vigil.deploy.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FlinkPrometheusTest {
    @Test
    void theLargestValueOfASeriesAcrossItsLabelSets() {
        String scrape = String.join("\n",
                "# TYPE flink_taskmanager_job_task_operator_detectorOnGpu gauge",
                "flink_taskmanager_job_task_operator_detectorOnGpu{operator_name=\"detect\",subtask_index=\"0\",} 0.0",
                "flink_taskmanager_job_task_operator_detectorOnGpu{operator_name=\"detect\",subtask_index=\"1\",} 1.0",
                "flink_taskmanager_job_task_operator_detectorOnGpuExtra 5.0",
                "flink_x NaN", "");
        assertEquals(1.0, FlinkPrometheus.max(scrape, "flink_taskmanager_job_task_operator_detectorOnGpu").orElseThrow());
        assertTrue(FlinkPrometheus.max(scrape, "flink_taskmanager_job_task_operator_detectorProviderFallback").isEmpty());
        assertTrue(FlinkPrometheus.max(scrape, "flink_x").isEmpty(), "NaN is no value");
        assertEquals("false", FlinkPrometheus.settings("9249").get("metrics.reporter.prom.filterLabelValueCharacters"));
    }
}
