package io.torchlight.callback.checkpoint;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lightning's checkpoint file names: {@code {epoch}-{step}-{val_loss:.3f}} becomes
 * {@code epoch=2-step=300-val_loss=0.123}; a metric not yet logged is an error naming it.
 */
final class FilenameTemplate {

    private static final Pattern FIELD = Pattern.compile("\\{([A-Za-z0-9_/.-]+?)(?::([^}]*))?}");

    private FilenameTemplate() {
    }

    static String format(String template, int epoch, long step, Map<String, Double> metrics) {
        Matcher m = FIELD.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String spec = m.group(2);
            Double value = switch (name) {
                case "epoch" -> (double) epoch;
                case "step" -> (double) step;
                default -> metrics.get(name);
            };
            if (value == null) {
                throw new IllegalArgumentException("ModelCheckpoint filename '" + template + "' names '" + name
                        + "', which was not logged; logged: " + metrics.keySet());
            }
            String text = spec != null ? String.format(Locale.ROOT, "%" + spec, value)
                    : name.equals("epoch") || name.equals("step") ? String.valueOf(value.longValue())
                    : String.valueOf(value);
            m.appendReplacement(out, Matcher.quoteReplacement(name.replace('/', '_') + "=" + text));
        }
        m.appendTail(out);
        return out.toString();
    }
}
