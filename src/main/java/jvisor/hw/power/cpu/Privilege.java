package jvisor.hw.power.cpu;

/**
 * Who may execute an instruction, as its body enforces it: in problem state (MSR[PR]=1) a
 * {@link #PRIVILEGED} or {@link #HYPERVISOR} instruction raises the privileged-instruction program
 * interrupt; in privileged state a {@link #HYPERVISOR} one is a hypervisor emulation assistance
 * exit (a pseries guest never runs with MSR[HV]=1). Where the operands decide (mtspr and mfspr: the
 * SPR number), the instruction is {@link #PROBLEM} and its body applies the operand's rule.
 */
public enum Privilege {
    PROBLEM,
    PRIVILEGED,
    HYPERVISOR
}
