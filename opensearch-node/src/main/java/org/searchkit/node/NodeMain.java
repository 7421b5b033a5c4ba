package org.searchkit.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * Runs one real OpenSearch node from the artifacts published on Maven Central.
 *
 * <p>The distribution's launcher (bootstrap checks, security manager, plugin loader) needs the
 * packaged modules, which are not published as Maven artifacts; their jars are. This class
 * does what the launcher does after that: it reads {@code HOME/config/opensearch.yml}, sets up
 * logging from {@code HOME/config/log4j2.properties} and starts {@link Node} with the modules a
 * searchkit cluster needs (Netty4 for HTTP and the transport between nodes, and the common
 * analysis module for the pattern_capture filter) loaded from the classpath.
 *
 * <p>Usage: {@code java -cp 'classes:lib/*' org.searchkit.node.NodeMain HOME}. SIGTERM closes
 * the node cleanly.
 */
public final class NodeMain {

    /** The modules the node loads; what a distribution would find under modules/. */
    static final List<Class<? extends Plugin>> MODULES = List.of(Netty4Plugin.class, CommonAnalysisPlugin.class);

    /** {@link Node}'s constructor that takes classpath plugins is protected. */
    static final class ClasspathNode extends Node {
        ClasspathNode(Environment env, Collection<Class<? extends Plugin>> plugins) {
            super(env, plugins, true);
        }
    }

    private NodeMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: NodeMain HOME");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Path config = home.resolve("config");
        if (!Files.isRegularFile(config.resolve("opensearch.yml"))) {
            System.err.println("error: " + config.resolve("opensearch.yml") + " is missing");
            System.exit(2);
        }
        Settings input = Settings.builder().put(Environment.PATH_HOME_SETTING.getKey(), home.toString()).build();
        Environment env = InternalSettingsPreparer.prepareEnvironment(input, Map.of(), config, () -> "node");
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(Node.NODE_NAME_SETTING.get(env.settings()));
        LogConfigurator.configure(env);

        Node node = new ClasspathNode(env, MODULES);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "node-shutdown"));
        node.start();
        // The node's threads are daemons in places; keep the JVM alive until SIGTERM.
        stopped.await();
    }
}
