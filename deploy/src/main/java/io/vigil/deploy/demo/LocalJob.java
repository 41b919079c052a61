package io.vigil.deploy.demo;

import io.vigil.flink.VideoAnalyticsJob;
import io.vigil.flink.config.JobConfig;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs {@link VideoAnalyticsJob} with its Kafka wiring on a Flink MiniCluster inside this JVM. */
public final class LocalJob implements AutoCloseable {
    private final JobClient client;

    private LocalJob(JobClient client) {
        this.client = client;
    }

    public static LocalJob start(JobConfig config) throws Exception {
        return start(config, new Configuration());
    }

    /** With extra Flink settings (e.g. a metric reporter for tests). */
    public static LocalJob start(JobConfig config, Configuration extra) throws Exception {
        Configuration conf = new Configuration(extra);
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(config.job().parallelism(), conf);
        VideoAnalyticsJob.forKafka(config).build(env);
        return new LocalJob(env.executeAsync(config.job().name()));
    }

    public JobClient client() {
        return client;
    }

    /** Fails fast if the job died (e.g. the model could not be opened on the TaskManager). */
    public void checkAlive() throws Exception {
        if (client.getJobExecutionResult().isDone()) {
            client.getJobExecutionResult().get(); // throws the job's failure
            throw new IllegalStateException("the Flink job ended unexpectedly");
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (!client.getJobExecutionResult().isDone()) client.cancel().get();
        } catch (IllegalStateException e) {
            // the job already ended (e.g. stopped with a savepoint) and its MiniCluster shut down with it
        } catch (java.util.concurrent.ExecutionException e) {
            // it finished between the check and the cancel (a stop-with-savepoint completing): nothing to cancel
            if (!(e.getCause() instanceof org.apache.flink.runtime.messages.FlinkJobTerminatedWithoutCancellationException)) throw e;
        }
    }
}
