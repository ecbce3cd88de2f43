package io.torchlight.core.internal.runs;

import java.util.regex.Pattern;

/**
 * Hyperparameters given as text ({@code hparams.lr=0.05} on the command line, in etc/ or a component property)
 * become the values a Lightning user gets from the CLI: booleans, integers and decimals as such, anything else
 * as text. Numbers written with a leading zero ({@code 007}) stay text, as identifiers usually are.
 */
final class HyperparameterText {

    private static final Pattern INTEGER = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+\\.[0-9]*|\\.[0-9]+|[0-9]+)([eE][-+]?[0-9]+)?");

    private HyperparameterText() {
    }

    /** The typed value of a text; values that are not text are returned as they are. */
    static Object typed(Object value) {
        if (!(value instanceof String text)) {
            return value;
        }
        String s = text.trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.valueOf(s);
        }
        if (INTEGER.matcher(s).matches()) {
            try {
                return Long.valueOf(s);
            } catch (NumberFormatException tooLong) {
                return text;
            }
        }
        if (DECIMAL.matcher(s).matches() && !s.matches("[-+]?0[0-9].*")) {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : text;
        }
        return text;
    }
}
