package jvisor.hw.power.cpu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * All instructions jvisor knows, put together from the declaration lists: the operations the
 * decoder assigns (an operation is a declaration with the facility it needs; its index is what a
 * {@link DecodePage} slot holds) and the rules the decoder applies to find them.
 *
 * <p>Which declaration a word is, when several match (first match wins, in this order):
 * <ol>
 * <li>an implemented FP/VMX/VSX declaration ({@link VectorScalarInstructions}) inside a valid
 *     encoding of the same mnemonic ({@link VectorScalarEncodings}; a "." does not count): that
 *     body, with the facility of the encoding, which the operands may choose (mfvsrd's SX);</li>
 * <li>a valid FP/VMX/VSX encoding: declared, no body yet (a word an implemented declaration's
 *     mask takes but no valid encoding does is illegal, as on POWER9);</li>
 * <li>the fixed-point, branch, load/store and system declarations.</li>
 * </ol>
 * Inside each level the more specific encoding (more fixed bits) comes first; the declarations of
 * one level do not overlap otherwise ({@code InstructionTableTest} proves it). A word that matches
 * an encoding but not its {@link Operands} rule is an invalid form, {@link Op#ILLEGAL}.
 *
 * <p>Operation 0 is "not decoded yet", 1 is {@link Op#ILLEGAL}; the operations with a body come
 * next, in declaration order, and the declared-only ones last.
 */
final class InstructionTable {
    /** Facility.values(), once (first: the table below is built with it). */
    private static final Facility[] FACILITIES = Facility.values();

    /** What no declaration matches: the illegal-instruction program interrupt. */
    static final InstructionSpec ILLEGAL = new InstructionSpec("illegal", new Encoding(0, 0), Facility.NONE,
            new BodyCall(BodyCall.SYSTEM_OPS, "illegal"), Operands.ANY, Privilege.PROBLEM, Flow.ENDS);

    /** POWER9 as jvisor implements it. */
    static final InstructionTable POWER9 = new InstructionTable(
            List.of(BranchInstructions.ALL, FixedPointInstructions.ALL, LoadStoreInstructions.ALL, SystemInstructions.ALL),
            VectorScalarInstructions.ALL, VectorScalarEncodings.ALL);

    /**
     * One decode rule: a word matching {@code encoding} is operation {@code op}, or illegal if it
     * breaks the operand rule.
     *
     * @param level       the precedence level (see the class comment), lower first
     * @param declaration the declaration the rule comes from
     */
    record Rule(Encoding encoding, Operands operands, int op, int level, InstructionSpec declaration) {
    }

    private final InstructionSpec[] ops;
    private final int declaredOnlyFrom;
    private final List<Rule> rules;
    private final Map<InstructionSpec, Integer> opOfDeclaration = new IdentityHashMap<>();
    private final List<InstructionSpec> declarations = new ArrayList<>();

    /**
     * @param fixed       the fixed-point, branch, load/store and system declarations, family by family
     * @param implemented the FP/VMX/VSX declarations with bodies
     * @param valid       the valid FP/VMX/VSX encodings (declared, without bodies)
     */
    InstructionTable(List<List<InstructionSpec>> fixed, List<InstructionSpec> implemented, List<InstructionSpec> valid) {
        Builder b = new Builder();
        for (List<InstructionSpec> family : fixed) {
            for (InstructionSpec s : family) {
                if (s.facility() != Facility.NONE) throw new IllegalArgumentException(s.mnemonic() + " needs a facility");
                b.rule(s.encoding(), s, b.declare(s, s), 3);
            }
        }
        // The valid encodings by mnemonic, in their order: each implemented declaration looks at its
        // own (a scan of all of them for each was a million string comparisons at start-up).
        Map<String, List<InstructionSpec>> validByName = new HashMap<>();
        for (InstructionSpec p : valid) {
            validByName.computeIfAbsent(baseMnemonic(p), k -> new ArrayList<>()).add(p);
        }
        for (InstructionSpec s : implemented) {
            // The operation of each facility the declaration's valid encodings need, by ordinal.
            Builder.Slot[] variants = new Builder.Slot[FACILITIES.length];
            for (InstructionSpec p : validByName.getOrDefault(baseMnemonic(s), List.of())) {
                if (p.encoding().overlaps(s.encoding())) {
                    int f = p.facility().ordinal();
                    if (variants[f] == null) variants[f] = b.add(s.with(p.facility()));
                    Encoding both = new Encoding(s.encoding().match() | p.encoding().match(), s.encoding().mask() | p.encoding().mask());
                    b.rule(both, s, variants[f], 0);
                }
            }
            // Words of the declaration outside every valid encoding of its mnemonic (a reserved bit
            // its mask leaves free but POWER9 refuses) stay illegal: no rule of its own. It is
            // declared as its own facility's operation, else as the first facility's by ordinal.
            Builder.Slot own = variants[s.facility().ordinal()];
            for (int f = 0; own == null && f < variants.length; f++) own = variants[f];
            if (own == null) throw new IllegalArgumentException(s.mnemonic() + " is no valid POWER9 encoding");
            b.declare(s, own);
        }
        for (InstructionSpec p : valid) {
            b.rule(p.encoding(), p, b.declare(p, p), 1);
        }

        ops = new InstructionSpec[2 + b.bodied.size() + b.declaredOnly.size()];
        ops[Op.ILLEGAL] = ILLEGAL;
        declaredOnlyFrom = 2 + b.bodied.size();
        for (int i = 0; i < b.bodied.size(); i++) ops[2 + i] = b.bodied.get(i);
        for (int i = 0; i < b.declaredOnly.size(); i++) ops[declaredOnlyFrom + i] = b.declaredOnly.get(i);
        // The rules by level, and within a level the more fixed bits first, otherwise in the order
        // they came: a stable sort, as buckets by that key.
        List<List<Rule>> byKey = new ArrayList<>();
        for (Builder.Pending r : b.pending) {
            int key = r.level() * 33 + 32 - Integer.bitCount(r.encoding().mask());
            while (byKey.size() <= key) byKey.add(new ArrayList<>());
            byKey.get(key).add(new Rule(r.encoding(), r.declaration().operands(), number(r.slot()), r.level(), r.declaration()));
        }
        List<Rule> numbered = new ArrayList<>(b.pending.size());
        for (List<Rule> bucket : byKey) numbered.addAll(bucket);
        rules = List.copyOf(numbered);
        b.declared.forEach((s, slot) -> opOfDeclaration.put(s, number(slot)));
        for (List<InstructionSpec> family : fixed) declarations.addAll(family);
        declarations.addAll(implemented);
        declarations.addAll(valid);
    }

    /** The same mnemonic, whether or not one of them spells the record form's "." (one declaration covers both). */
    static boolean sameInstruction(InstructionSpec a, InstructionSpec b) {
        return baseMnemonic(a).equals(baseMnemonic(b));
    }

    private static String baseMnemonic(InstructionSpec s) {
        String m = s.mnemonic();
        return m.indexOf('.') < 0 ? m : m.replace(".", "");
    }

    private int number(Builder.Slot slot) {
        return slot.withBody() ? 2 + slot.index() : declaredOnlyFrom + slot.index();
    }

    /** Collects the operations (with a body, declared only) and the rules before they are numbered. */
    private static final class Builder {
        /** An operation before numbering: its place in one of the two lists. */
        record Slot(boolean withBody, int index) {
        }

        record Pending(Encoding encoding, InstructionSpec declaration, Slot slot, int level) {
        }

        final List<InstructionSpec> bodied = new ArrayList<>(), declaredOnly = new ArrayList<>();
        final List<Pending> pending = new ArrayList<>();
        final Map<InstructionSpec, Slot> declared = new IdentityHashMap<>();

        Slot add(InstructionSpec operation) {
            List<InstructionSpec> into = operation.body() != null ? bodied : declaredOnly;
            into.add(operation);
            return new Slot(operation.body() != null, into.size() - 1);
        }

        /** A declaration whose own words are {@code operation}. */
        Slot declare(InstructionSpec declaration, InstructionSpec operation) {
            Slot slot = add(operation);
            declared.put(declaration, slot);
            return slot;
        }

        Slot declare(InstructionSpec declaration, Slot slot) {
            declared.put(declaration, slot);
            return slot;
        }

        void rule(Encoding encoding, InstructionSpec declaration, Slot slot, int level) {
            pending.add(new Pending(encoding, declaration, slot, level));
        }
    }

    /** The operation with index {@code op}: a declaration with the facility it needs. */
    InstructionSpec spec(int op) {
        return ops[op];
    }

    /** How many operation indexes there are (0 and {@link Op#ILLEGAL} included). */
    int operations() {
        return ops.length;
    }

    /** Operations from this index on are declared without a body. */
    int declaredOnlyFrom() {
        return declaredOnlyFrom;
    }

    /** The decode rules in the order the decoder tries them. */
    List<Rule> rules() {
        return rules;
    }

    /** Every declaration, in the order of the lists. */
    List<InstructionSpec> declarations() {
        return declarations;
    }

    /** The operation a declaration's words decode to (outside any more specific rule). */
    int op(InstructionSpec declaration) {
        Integer op = opOfDeclaration.get(declaration);
        if (op == null) throw new IllegalArgumentException("not declared here: " + declaration.mnemonic());
        return op;
    }

    /** The operation of the fixed-point, branch or system instruction {@code mnemonic}. */
    int op(String mnemonic) {
        for (int i = 2; i < declaredOnlyFrom; i++) {
            if (ops[i].mnemonic().equals(mnemonic) && ops[i].facility() == Facility.NONE) return i;
        }
        throw new IllegalArgumentException("no instruction " + mnemonic);
    }

    /** The mnemonic of operation {@code op}. */
    String name(int op) {
        return op > 0 && op < ops.length ? ops[op].mnemonic() : "op" + op;
    }
}
