package io.vigil.flink.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a component of a {@link JobConfig} section as a setting: the component's name is its key in the section of
 * vigil.yaml, {@link #flag} its command-line flag, {@link #doc} its line in {@code --help}. Its default is the value in
 * the shipped {@code vigil.yaml} (the one place defaults live).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Setting {
    /** The flag, e.g. {@code --batch-size}. */
    String flag();

    /** What a value looks like in {@code --help}, e.g. {@code N} or {@code DUR}. */
    String label() default "VALUE";

    /** One line for {@code --help}. */
    String doc();

    /**
     * A file or directory (or a catalogue name): a relative path means "where the user stands", so it is made absolute
     * on the client before the job goes to a cluster ({@link JobConfig#absolutePaths}).
     */
    boolean path() default false;
}
