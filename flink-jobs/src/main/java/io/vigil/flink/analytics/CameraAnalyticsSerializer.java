package io.vigil.flink.analytics;

import io.vigil.events.analytics.CameraAnalytics;

import io.vigil.flink.state.VersionedBytesSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/** Flink serializer for a camera's {@link CameraAnalytics}: an int length, then its versioned bytes ("VAN1"). */
public final class CameraAnalyticsSerializer extends VersionedBytesSerializer<CameraAnalytics> {
    private static final long serialVersionUID = 1L;
    public static final CameraAnalyticsSerializer INSTANCE = new CameraAnalyticsSerializer();

    @Override
    protected byte[] toBytes(CameraAnalytics value) {
        return value.toBytes();
    }

    @Override
    protected CameraAnalytics fromBytes(byte[] bytes) {
        return CameraAnalytics.fromBytes(bytes);
    }

    @Override
    protected String what() {
        return "analytics state";
    }

    @Override
    public CameraAnalytics createInstance() {
        return new CameraAnalytics();
    }

    @Override
    public TypeSerializerSnapshot<CameraAnalytics> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1: the format above. */
    public static final class Snapshot extends VersionedBytesSerializer.Snapshot<CameraAnalytics> {
        @Override
        public TypeSerializer<CameraAnalytics> restoreSerializer() {
            return INSTANCE;
        }
    }
}
