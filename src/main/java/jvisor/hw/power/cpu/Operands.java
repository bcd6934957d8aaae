package jvisor.hw.power.cpu;

/**
 * The operand-field rule of an instruction: which values of its register fields make an invalid
 * form. The ISA leaves the result of an invalid form boundedly undefined; POWER9 reports these as
 * illegal instructions, so a word that matches an encoding but breaks its rule decodes as
 * {@link Op#ILLEGAL}. Fields are numbered as the ISA numbers the bits of the word: RT/RS 6:10,
 * RA 11:15, RB 16:20.
 */
public enum Operands {
    /** Every value of every field is valid. */
    ANY,
    /** Load with update: RA=0 or RA=RT is invalid (Book I §3.3.2). */
    LOAD_UPDATE,
    /** Store with update: RA=0 is invalid. */
    STORE_UPDATE,
    /** lmw: RA in the range of registers loaded is invalid (RT=0 includes r0, so any RA then). */
    LOAD_MULTIPLE,
    /** lq: RTp odd or RTp=RA is invalid. */
    LOAD_QUAD,
    /** stq, stqcx.: RSp odd is invalid. */
    STORE_QUAD,
    /** lqarx: RTp odd, RTp=RA or RTp=RB is invalid. */
    LOAD_QUAD_RESERVE;

    /** Whether word {@code w} is a valid form under this rule. */
    public boolean valid(int w) {
        int rt = (w >>> 21) & 31, ra = (w >>> 16) & 31, rb = (w >>> 11) & 31;
        return switch (this) {
            case ANY -> true;
            case LOAD_UPDATE -> ra != 0 && ra != rt;
            case STORE_UPDATE -> ra != 0;
            case LOAD_MULTIPLE -> ra < rt;
            case LOAD_QUAD -> (rt & 1) == 0 && rt != ra;
            case STORE_QUAD -> (rt & 1) == 0;
            case LOAD_QUAD_RESERVE -> (rt & 1) == 0 && rt != ra && rt != rb;
        };
    }
}
