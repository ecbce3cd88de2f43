package io.torchlight.logger.tensorboard;

import java.util.Map;

import com.google.protobuf.Value;

import io.torchlight.logger.tensorboard.proto.DataType;
import io.torchlight.logger.tensorboard.proto.Summary;
import io.torchlight.logger.tensorboard.proto.SummaryMetadata;
import io.torchlight.logger.tensorboard.proto.TensorProto;
import io.torchlight.logger.tensorboard.proto.TensorShapeProto;
import io.torchlight.logger.tensorboard.proto.hparams.Experiment;
import io.torchlight.logger.tensorboard.proto.hparams.HParamInfo;
import io.torchlight.logger.tensorboard.proto.hparams.HParamsPluginData;
import io.torchlight.logger.tensorboard.proto.hparams.MetricInfo;
import io.torchlight.logger.tensorboard.proto.hparams.MetricName;
import io.torchlight.logger.tensorboard.proto.hparams.SessionEndInfo;
import io.torchlight.logger.tensorboard.proto.hparams.SessionStartInfo;
import io.torchlight.logger.tensorboard.proto.hparams.Status;

/**
 * The summaries TensorBoard's hparams plugin reads: the experiment (which hyperparameters exist), the session's
 * start (their values) and its end (how the run ended). Each carries its data in the plugin metadata of a value
 * whose tensor is a float zero, as TensorBoard writes them.
 */
final class HParamsSummaries {

    static final String PLUGIN = "hparams";
    static final String EXPERIMENT_TAG = "_hparams_/experiment";
    static final String SESSION_START_TAG = "_hparams_/session_start_info";
    static final String SESSION_END_TAG = "_hparams_/session_end_info";

    private HParamsSummaries() {
    }

    /** The experiment: each hyperparameter with its type, and the metrics TensorBoard's HPARAMS tab shows as columns. */
    static Summary experiment(Map<String, Object> params, Iterable<String> metrics, double wallTime) {
        Experiment.Builder experiment = Experiment.newBuilder().setTimeCreatedSecs(wallTime);
        params.forEach((name, v) -> experiment.addHparamInfos(HParamInfo.newBuilder().setName(name).setType(type(v))));
        metrics.forEach(tag -> experiment.addMetricInfos(MetricInfo.newBuilder().setName(MetricName.newBuilder().setTag(tag))));
        return summary(EXPERIMENT_TAG, HParamsPluginData.newBuilder().setExperiment(experiment));
    }

    static Summary sessionStart(Map<String, Object> params, double wallTime) {
        SessionStartInfo.Builder start = SessionStartInfo.newBuilder().setStartTimeSecs(wallTime);
        params.forEach((name, v) -> start.putHparams(name, value(v)));
        return summary(SESSION_START_TAG, HParamsPluginData.newBuilder().setSessionStartInfo(start));
    }

    /** {@code success} and {@code failed} map to TensorBoard's statuses; interrupted or detached to unknown. */
    static Summary sessionEnd(String status, double wallTime) {
        Status s = switch (status) {
            case "success" -> Status.STATUS_SUCCESS;
            case "failed" -> Status.STATUS_FAILURE;
            default -> Status.STATUS_UNKNOWN;
        };
        return summary(SESSION_END_TAG, HParamsPluginData.newBuilder()
                .setSessionEndInfo(SessionEndInfo.newBuilder().setStatus(s).setEndTimeSecs(wallTime)));
    }

    private static Summary summary(String tag, HParamsPluginData.Builder data) {
        SummaryMetadata metadata = SummaryMetadata.newBuilder().setPluginData(SummaryMetadata.PluginData.newBuilder()
                .setPluginName(PLUGIN).setContent(data.setVersion(0).build().toByteString())).build();
        TensorProto zero = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorShapeProto.getDefaultInstance()).addFloatVal(0f).build();
        return Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag(tag).setMetadata(metadata).setTensor(zero)).build();
    }

    private static io.torchlight.logger.tensorboard.proto.hparams.DataType type(Object v) {
        if (v instanceof Boolean) {
            return io.torchlight.logger.tensorboard.proto.hparams.DataType.DATA_TYPE_BOOL;
        }
        return v instanceof Number ? io.torchlight.logger.tensorboard.proto.hparams.DataType.DATA_TYPE_FLOAT64
                : io.torchlight.logger.tensorboard.proto.hparams.DataType.DATA_TYPE_STRING;
    }

    private static Value value(Object v) {
        if (v instanceof Boolean b) {
            return Value.newBuilder().setBoolValue(b).build();
        }
        if (v instanceof Number n) {
            return Value.newBuilder().setNumberValue(n.doubleValue()).build();
        }
        return Value.newBuilder().setStringValue(String.valueOf(v)).build();
    }
}
