package io.switchboard.bootstrap.testing;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Two real hub processes sharing one new PostgreSQL schema on the local server, for a test class's
 * cluster tests; closing stops both and drops the schema. Skipped with the reason (or failed under
 * {@code CI=true}) when PostgreSQL is not reachable, as {@link TestSchema#requireServer} says.
 */
public final class TwoNodeCluster implements AutoCloseable {
    private final String schema;
    private HubProcess a;
    private HubProcess b;

    private TwoNodeCluster(String schema) {
        this.schema = schema;
    }

    /**
     * Starts the two nodes, logging to {@code dir/a.log} and {@code dir/b.log}.
     *
     * @param moreHubYaml further keys under {@code hub:}, each line indented by two spaces (or empty)
     */
    public static TwoNodeCluster start(Path dir, String schemaPrefix, Class<?> test, String moreHubYaml) throws Exception {
        TwoNodeCluster cluster = new TwoNodeCluster(TestSchema.create(schemaPrefix, test));
        try {
            Path config = TestSchema.hubConfig(dir.resolve("cluster.yaml"), cluster.schema, moreHubYaml);
            cluster.a = HubProcess.start(dir.resolve("a.log"), "--config", config.toString());
            cluster.b = HubProcess.start(dir.resolve("b.log"), "--config", config.toString());
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    public HubProcess a() {
        return a;
    }

    public HubProcess b() {
        return b;
    }

    public String schema() {
        return schema;
    }

    /** The JDBC URL an application of the cluster would use (the shared schema). */
    public String jdbcUrl() {
        return TestSchema.SERVER + "?currentSchema=" + schema;
    }

    @Override
    public void close() throws SQLException {
        for (HubProcess node : new HubProcess[] {a, b}) {
            if (node != null) {
                node.close();
            }
        }
        TestSchema.drop(schema);
    }
}
