package jvisor.cli;

import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a command accepts, declared in code: its name, description, options (flags, or options with
 * one value: {@code --mem 1G}, {@code --mem=1G}, {@code -m 1G}) and at most one optional operand.
 * It parses a command line into {@link Parsed} values and prints the usage.
 *
 * <p>Declared in code rather than read from annotations: a command line is parsed in well under a
 * millisecond of a cold JVM, where reading annotations reflectively (the JDK builds a proxy class
 * per annotation type) and a library built for Java 5 (which the JVM's ahead-of-time cache cannot
 * hold) took some 150 ms of every launch.
 *
 * <p>Every mistake is a {@link UserError} naming the option. An option's value is the next argument
 * whatever it looks like ({@code --timeout -1} is a value to refuse, not an unknown option).
 */
final class CommandSpec {
    /** Terminal width the usage is wrapped to. */
    private static final int WIDTH = 80;

    /** One option: a flag when {@code label} is null, else it takes one value. */
    private record Opt(List<String> names, String label, String defaultValue, boolean required, List<String> description) {
        String longName() {
            return names.getLast();
        }
    }

    final String name;
    private final List<String> description;
    private final List<Opt> options = new ArrayList<>();
    private final Map<String, Opt> byName = new HashMap<>();
    private String operandLabel;
    private List<String> operandDescription = List.of();

    CommandSpec(String name, String... description) {
        this.name = name;
        this.description = List.of(description);
        flag(new String[] {"-h", "--help"}, "Show this help message and exit.");
        flag(new String[] {"-V", "--version"}, "Print version information and exit.");
    }

    /** The description's first sentence, for the list of commands. */
    String summary() {
        String first = description.isEmpty() ? "" : description.getFirst();
        int end = first.indexOf(". ");
        return end < 0 ? first : first.substring(0, end + 1);
    }

    /** A flag: present or not. Names short first, the long name last. */
    CommandSpec flag(String[] names, String... description) {
        return add(new Opt(List.of(names), null, null, false, List.of(description)));
    }

    /** An option with one value, {@code defaultValue} (may be null) when it is not given. */
    CommandSpec option(String[] names, String label, String defaultValue, String... description) {
        return add(new Opt(List.of(names), label, defaultValue, false, List.of(description)));
    }

    /** An option that must be given. */
    CommandSpec required(String[] names, String label, String... description) {
        return add(new Opt(List.of(names), label, null, true, List.of(description)));
    }

    /** The command's one optional operand (an argument that is not an option). */
    CommandSpec operand(String label, String... description) {
        operandLabel = label;
        operandDescription = List.of(description);
        return this;
    }

    private CommandSpec add(Opt o) {
        for (String n : o.names()) {
            if (byName.put(n, o) != null) {
                throw new IllegalArgumentException(name + ": option " + n + " declared twice");
            }
        }
        options.add(o);
        return this;
    }

    /** Parses {@code args} (the command's own, after its name). */
    Parsed parse(List<String> args) {
        // By identity: a record's own hashCode is linked at its first call, some 200 method types.
        Map<Opt, String> values = new IdentityHashMap<>();
        String operand = null;
        boolean operandsOnly = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!operandsOnly && a.equals("--")) {
                operandsOnly = true;
                continue;
            }
            if (operandsOnly || !a.startsWith("-") || a.equals("-")) {
                if (operandLabel == null || operand != null) {
                    throw new UserError("unexpected argument '" + a + "'" + (operandLabel == null ? "" : " (one " + operandLabel + " at most)"));
                }
                operand = a;
                continue;
            }
            int eq = a.startsWith("--") ? a.indexOf('=') : -1;
            String key = eq < 0 ? a : a.substring(0, eq);
            Opt o = byName.get(key);
            if (o == null) {
                throw new UserError("Unknown option: '" + key + "'");
            }
            String value;
            if (o.label() == null) {
                if (eq >= 0) throw new UserError(o.longName() + " takes no value");
                value = "";
            } else if (eq >= 0) {
                value = a.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UserError(o.longName() + " needs a value (" + o.label() + ")");
            }
            if (values.put(o, value) != null) {
                throw new UserError(o.longName() + " is given more than once");
            }
        }
        boolean help = values.containsKey(byName.get("--help")), version = values.containsKey(byName.get("--version"));
        if (!help && !version) {
            for (Opt o : options) {
                if (o.required() && !values.containsKey(o)) {
                    throw new UserError("Missing required option: '" + o.longName() + "=" + o.label() + "'");
                }
            }
        }
        Map<String, String> byLong = new HashMap<>();
        for (Opt o : options) {
            String v = values.containsKey(o) ? values.get(o) : o.defaultValue();
            if (v != null) byLong.put(o.longName(), v);
        }
        return new Parsed(byLong, operand, help, version);
    }

    /** The values of one command line, by the options' long names. */
    record Parsed(Map<String, String> values, String operand, boolean help, boolean version) {
        boolean flag(String option) {
            return values.containsKey(option);
        }

        /** The option's value, or null when it has none and no default. */
        String string(String option) {
            return values.get(option);
        }

        int integer(String option) {
            return number(option, Integer::parseInt, "a whole number (at most " + Integer.MAX_VALUE + ")");
        }

        long longValue(String option) {
            return number(option, Long::parseLong, "a whole number (at most " + Long.MAX_VALUE + ")");
        }

        double decimal(String option) {
            return number(option, Double::parseDouble, "a number");
        }

        /** The option's value read by {@code parse}; what it takes is said when it is none. */
        private <T> T number(String option, Function<String, T> parse, String takes) {
            String v = values.get(option);
            try {
                return parse.apply(v.strip());
            } catch (NumberFormatException e) {
                throw new UserError(option + " takes " + takes + ", not '" + v + "'");
            }
        }

        /** The option's value as a path, or null when it has none. */
        Path path(String option) {
            String v = values.get(option);
            return v == null ? null : toPath(option, v);
        }

        /** The option's value split at commas. */
        List<String> list(String option) {
            String v = values.get(option);
            return v == null ? List.of() : List.of(v.split(",", -1));
        }

        /** The operand as a path, or null when there is none. */
        Path operandPath(String label) {
            return operand == null ? null : toPath(label, operand);
        }

        private static Path toPath(String what, String v) {
            try {
                return Path.of(v);
            } catch (InvalidPathException e) {
                throw new UserError(what + ": not a usable path: '" + v + "'");
            }
        }
    }

    /** Prints the usage: synopsis, description, then every option and the operand. */
    void usage(PrintStream out, String program) {
        StringBuilder synopsis = new StringBuilder("Usage: " + program + " " + name + " [OPTIONS]");
        if (operandLabel != null) synopsis.append(" [").append(operandLabel).append(']');
        out.println(synopsis);
        for (String d : description) wrap(out, d, 0, 0);
        List<String[]> rows = new ArrayList<>();
        if (operandLabel != null) rows.add(new String[] {"      [" + operandLabel + "]", String.join(" ", operandDescription)});
        // The command's own options first, then help and version.
        List<Opt> ordered = new ArrayList<>(options.subList(2, options.size()));
        ordered.addAll(options.subList(0, 2));
        for (Opt o : ordered) {
            // Long names line up whether or not a short one comes first.
            boolean shortFirst = o.names().size() > 1 || !o.names().getFirst().startsWith("--");
            StringBuilder left = new StringBuilder(shortFirst ? "  " : "      ");
            left.append(String.join(", ", o.names()));
            if (o.label() != null) left.append('=').append(o.label());
            rows.add(new String[] {left.toString(), String.join("\n", o.description())});
        }
        table(out, rows);
    }

    /** Rows of a name column and a wrapped description column. */
    static void table(PrintStream out, List<String[]> rows) {
        int column = 0;
        for (String[] r : rows) column = Math.max(column, r[0].length());
        column = Math.min(column + 3, 34);
        for (String[] r : rows) {
            String left = r[0];
            boolean first = true;
            for (String paragraph : r[1].split("\n")) {
                if (first && left.length() + 2 <= column) {
                    out.print(left + " ".repeat(column - left.length()));
                } else if (first) {
                    out.println(left);
                    out.print(" ".repeat(column));
                } else {
                    out.print(" ".repeat(column));
                }
                wrap(out, paragraph, column, column);
                first = false;
            }
        }
    }

    /** Prints {@code text} wrapped to the width, the first line already indented by {@code at}. */
    private static void wrap(PrintStream out, String text, int at, int indent) {
        int col = at;
        boolean lineEmpty = true;
        for (String word : text.split(" ")) {
            if (word.isEmpty()) continue;
            if (!lineEmpty && col + 1 + word.length() > WIDTH) {
                out.println();
                out.print(" ".repeat(indent));
                col = indent;
                lineEmpty = true;
            }
            if (!lineEmpty) {
                out.print(' ');
                col++;
            }
            out.print(word);
            col += word.length();
            lineEmpty = false;
        }
        out.println();
    }
}
