package io.torchlight.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link TrainerConfig} accessor as a trainer flag. The accessor is the flag's one definition: its name is
 * the builder method and, in snake_case or camelCase, the {@code key=value} key of runs; its default body is the
 * default; {@link #min()} is checked when the configuration is built.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Flag {

    /** The smallest allowed value of a numeric flag; no bound by default. */
    long min() default Long.MIN_VALUE;

    /** What the flag accepts, for error messages (e.g. {@code "-1 = unbounded"}); empty = derived from {@link #min()}. */
    String accepts() default "";
}
