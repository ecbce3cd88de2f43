package io.torchlight.web.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.torchlight.api.feature.FeatureInfo;
import io.torchlight.api.run.MetricRecord;
import io.torchlight.api.run.ModuleInfo;
import io.torchlight.api.run.PluginInfo;
import io.torchlight.api.run.RunRequest;
import io.torchlight.api.run.RunSnapshot;

/** The JSON shapes the page reads: plain maps of the API's values. */
final class Views {

    private Views() {
    }

    static Map<String, Object> run(RunSnapshot r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", r.id());
        out.put("module", r.module());
        out.put("stage", r.stage().lightningName());
        out.put("status", r.status().label());
        out.put("finished", r.status().finished());
        out.put("reason", r.reason());
        out.put("device", r.device());
        out.put("epoch", r.epoch());
        out.put("step", r.globalStep());
        out.put("metrics", new TreeMap<>(r.metrics()));
        out.put("started", r.started() == null ? null : r.started().toString());
        out.put("ended", r.ended() == null ? null : r.ended().toString());
        out.put("source", r.source());
        out.put("dir", r.dir() == null ? null : r.dir().toString());
        return out;
    }

    static Map<String, Object> request(RunRequest q) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("trainerArgs", new TreeMap<>(q.trainerArgs()));
        Map<String, Object> hparams = new TreeMap<>();
        q.hparams().forEach((k, v) -> hparams.put(k, String.valueOf(v)));
        out.put("hparams", hparams);
        out.put("dataModule", q.dataModule());
        out.put("ckptPath", q.ckptPath());
        out.put("loggers", q.loggers());
        out.put("callbacks", q.callbacks());
        return out;
    }

    static Map<String, Object> metrics(String runId, List<MetricRecord> records) {
        List<Map<String, Object>> rows = records.stream().map(r -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("seq", r.seq());
            row.put("step", r.step());
            row.put("values", r.values());
            return row;
        }).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run", runId);
        out.put("records", rows);
        return out;
    }

    static Map<String, Object> plugin(PluginInfo p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", p.kind());
        out.put("name", p.name());
        out.put("bundle", p.bundle());
        out.put("version", p.version());
        out.put("availability", p.availability());
        out.put("attachedTo", p.attachedTo());
        return out;
    }

    static Map<String, Object> feature(FeatureInfo f) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", f.name());
        out.put("id", f.id());
        out.put("title", f.title());
        out.put("description", f.description());
        out.put("bundles", f.bundles());
        out.put("installed", f.installed());
        out.put("fixedBecause", f.fixedBecause());
        return out;
    }

    static Map<String, Object> module(ModuleInfo m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", m.name());
        out.put("bundle", m.bundle());
        out.put("version", m.version());
        out.put("className", m.className());
        out.put("autorun", m.autorun());
        out.put("activeRuns", m.activeRuns());
        return out;
    }
}
