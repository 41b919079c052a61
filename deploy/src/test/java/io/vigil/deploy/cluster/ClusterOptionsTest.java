package io.vigil.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterOptionsTest {
    @TempDir
    Path tmp;

    private ClusterOptions.Builder valid() throws Exception {
        Path jar = tmp.resolve("a.jar");
        if (!Files.exists(jar)) Files.createFile(jar);
        return ClusterOptions.builder().dir(tmp).libClasspath(List.of(jar));
    }

    @Test
    void badSettingsAreNamed() throws Exception {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> valid().restPort(0).build()).getMessage().contains("rest port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> valid().slotsPerTaskManager(0).build()).getMessage().contains("slots"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> valid().taskManagerMemory("lots").build()).getMessage()
                .contains("taskmanager memory must look like 1600m or 2g, got 'lots'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> valid().libClasspath(List.of(tmp.resolve("gone.jar"))).build())
                .getMessage().contains("gone.jar does not exist"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterOptions.builder().build()).getMessage().contains("dir"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> valid().systemProperty("a b", "x")).getMessage().contains("'a b'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterOptions.readClasspathFile(tmp.resolve("none.txt")))
                .getMessage().contains("none.txt does not exist"));
    }

    @Test
    void writtenConfigIsWhatFlinkReads() throws Exception {
        ClusterOptions o = valid().restPort(18081).taskManagers(3).slotsPerTaskManager(2).taskManagerMemory("2g").build();
        FlinkConf.write(o, 16123);
        Configuration c = GlobalConfiguration.loadConfiguration(o.confDir().toString());
        assertEquals("18081", c.toMap().get("rest.port"));
        assertEquals("16123", c.toMap().get("jobmanager.rpc.port"));
        assertEquals("2", c.toMap().get("taskmanager.numberOfTaskSlots"));
        assertEquals("2g", c.toMap().get("taskmanager.memory.process.size"));
        assertEquals(FlinkConf.PARENT_FIRST, c.toMap().get("classloader.parent-first-patterns.additional"));
        assertEquals(o.checkpointDir().toUri().toString(), c.toMap().get("execution.checkpointing.dir"));
        assertEquals("2 s", c.toMap().get("restart-strategy.fixed-delay.delay"));
        assertTrue(c.toMap().get("env.java.opts.all").contains("--add-modules jdk.incubator.vector"));
        assertTrue(c.toMap().get("env.java.opts.all").contains("--add-opens=java.base/java.util=ALL-UNNAMED"));
        assertTrue(Files.readString(o.confDir().resolve("log4j.properties")).contains("${sys:log.file}"));
    }

    @Test
    void classpathFileIsSplitOnColons() throws Exception {
        Path f = Files.writeString(tmp.resolve("cp.txt"), "/x/a.jar:/y/b.jar\n");
        assertEquals(List.of(Path.of("/x/a.jar"), Path.of("/y/b.jar")), ClusterOptions.readClasspathFile(f));
    }
}
