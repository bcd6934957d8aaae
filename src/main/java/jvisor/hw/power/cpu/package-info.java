/**
 * The POWER9 core as a pseries guest sees it: the Power ISA v3.0B fixed-point, load/store,
 * branch and system instructions, the SPRs, and the interrupts, in 64- and 32-bit mode, big- and
 * little-endian, problem and privileged state, always with MSR[HV]=0.
 *
 * <h2>Shape</h2>
 * {@link jvisor.hw.power.cpu.Core} runs guest code until something the hypervisor must handle
 * happens and returns an {@link jvisor.hw.power.cpu.Exit} code (hypercall, HDSI/HISI,
 * hypervisor emulation assistance, instruction limit, exit request, checkstop, unimplemented).
 * Instructions are decoded once per real page into a {@link jvisor.hw.power.cpu.DecodeCache}
 * shared by the machine's cores (operation index and word packed in one long per slot), and
 * executed by a dispatcher over small static bodies grouped by family ({@code FixedPoint},
 * {@code Rotate}, {@code LoadStore}, {@code Atomic}, {@code AtomicMemoryOps}, {@code MemoryBarrier},
 * {@code DecimalAssist}, {@code Branch}, {@code SystemOps}, {@link jvisor.hw.power.cpu.Spr}). Faults
 * never throw: a body sets up the architected interrupt (or the exit) and returns a non-zero code.
 *
 * <p>The run loop ({@code Core.runGuest}) services events, finds the decoded page of pc (the
 * core's fetch cache in front of the MMU and the decode cache) and either enters a translated
 * region there or hands a straight-line run to {@code StraightLineRun}: a small loop of its own
 * through the page's slots until a branch, a trap, the page's end, the poll interval or a
 * translation's entry. Keeping it apart (the launcher's compiler directives stop HotSpot from
 * inlining it back) keeps the run loop's many locals out of the per-instruction path, where
 * HotSpot spilled and reloaded them around every dispatch call. When hot code is translated, and
 * when a quick translation is translated again for C2, is {@code Tiering}'s to decide.
 *
 * <h2>One declaration per instruction</h2>
 * Every instruction is one {@link jvisor.hw.power.cpu.InstructionSpec}: mnemonic, encoding (the
 * form's fixed bits, {@link jvisor.hw.power.cpu.Encoding}), operand rule (the invalid forms,
 * {@link jvisor.hw.power.cpu.Operands}), facility, privilege, what translated code may do around it
 * ({@link jvisor.hw.power.cpu.Flow}) and body (a static method with constant arguments,
 * {@code BodyCall}). The lists are by family: {@code FixedPointInstructions},
 * {@code LoadStoreInstructions}, {@code BranchInstructions}, {@code SystemInstructions}, the valid
 * FP/VMX/VSX encodings {@code VectorScalarEncodings} (declared, without bodies yet) and the
 * implemented FP/VMX/VSX families registered in {@code VectorScalarInstructions}.
 * {@code InstructionTable} puts them together and numbers the operations; from it come the decoder
 * ({@code Decoder}: per primary opcode and low 11 bits, the candidate encodings in order), the
 * dispatcher ({@code DispatchGenerator} generates, at start, a class whose tableswitch calls each
 * body directly, the switch one would write by hand), the translator's calls, the names
 * ({@code Op}), and what each plain load or store moves ({@link jvisor.hw.power.cpu.LoadStoreForm},
 * which the region compiler and the hypervisor's MMIO emulation use instead of decoding again). {@code InstructionTableTest} proves that no two encodings overlap and that every
 * declaration decodes to itself; {@code InstructionNamesTest} that the GNU disassembler for POWER9
 * names each as declared.
 *
 * <h2>Storage model</h2>
 * Cores are threads and guest loads and stores are plain JVM accesses; the guest's barriers are
 * what order them ({@code MemoryBarrier}: sync and ptesync a full fence, lwsync acquire plus
 * release, eieio store-store, isync acquire), in the interpreter and in translated code alike.
 * larx/stcx. are an atomic read of the reserved doubleword and a compare-and-set against it
 * ({@code Atomic}). The litmus guest and {@code StorageModelTest} race cores to show it.
 *
 * <h2>Translation of hot code</h2>
 * Interpretation keeps a heat for each branch target of a decoded page it starts at: one per
 * start, and one more per 16 instructions the run went. Past a threshold (16384 by default,
 * {@code -Djvisor.jit.threshold}), {@code RegionCompiler} turns the code reachable from there inside the page into a
 * hidden class ({@code CompiledRegion}) that HotSpot compiles to native code: first a quick one
 * (C1 only, where the launcher's compiler directives are given), and for a region that then runs
 * millions of instructions, one C2 compiles too. The common simple
 * instructions (add/subtract/multiply, logical, rotate and shift, compares, LR/CTR moves, b/bc,
 * and loads and stores of one to eight bytes) are emitted as bytecode over the core's GPR array
 * and JVM locals holding the CR, CTR, CFAR, XER[SO] and XER[CA] the region uses; they share their
 * non-trivial definitions (rotate masks, compare bits, CR0, the data-cache hit) with the
 * interpreter's bodies; the barriers are the same fences inline. Everything else is a call to the
 * interpreter's body (the declaration's) with the instruction word as a constant, with the locals
 * written back before and reloaded after; whether a region goes on after an instruction is the declaration's
 * {@code Flow}. A load or store that misses the core's data
 * cache stops the region before the access and the interpreter performs it. Inside a whole
 * region's inner loops (closed by a conditional branch, calling nothing), each load and store
 * remembers in locals the page it touched last (the page's
 * effective address and its host address less that) and goes through it while all its bytes lie
 * in that page, one add and one compare instead of the cache's lookup ({@code
 * -Djvisor.jit.memo=false}: a lookup every time); the memos start empty at each entry, and rely on
 * every instruction that changes translations or the MSR ending the region. A region is made for
 * one address width (64- or 32-bit mode) and entered only in it. Translations hang off the
 * {@code DecodePage} they were made from and die with it (a store to the page, icbi,
 * {@code DecodeCache.invalidate}); the machine keeps at most {@code setMaxCompiledRegions} of
 * them. Budget, exit requests, interrupts and faults behave exactly as interpreted; tracing
 * (MSR[SE]/[BE]) always interprets. {@code Core.setJit(false)} or {@code -Djvisor.jit=false}
 * turns translation off.
 *
 * <p>In a machine ({@code DecodeCache.setBackgroundTranslation}, on unless
 * {@code -Djvisor.jit.background=false}) the core only asks for the translation and interprets
 * on; {@code BackgroundTranslator} makes it on its own thread and installs it once HotSpot has
 * compiled it (a new region with a loop at once: HotSpot compiles a spinning loop on the stack;
 * the successor of a quick region only if that one spins), so
 * neither the translation nor HotSpot's bytecode interpreter costs the vCPU time. Where the JVM
 * takes the request ({@code HotSpotTiers}: the launcher's {@code -XX:+WhiteBoxAPI}), a quick
 * region is compiled by C1 at once, without profiling, the only code it will have; and while the
 * translator has nothing to do, code is asked for at a lower heat ({@code -Djvisor.jit.early},
 * 4096).
 *
 * <p>The threshold is high on purpose: every region is compiled by HotSpot, in tiers, at tens of
 * milliseconds of compiler time each, and on a 2-core host that time is taken from the vCPUs.
 * {@code jvisor bench --guests linux} on a quiet 2-core host: 64 gave 8.9 s, 2048 7.2 s, 32768
 * 4.7 s (Debian's boot is cold code); the tight loops of alu and sieve did not change. With
 * background translation, the boot three times in one JVM (the last of the three): 2048 7.2 s,
 * 8192 5.8 s, 16384 4.9 s, 32768 3.9 s, 65535 4.5 s (HotSpot's compile time went from 7.3 s to
 * 11.2 s between 32768 and 8192). Since first translations are quick (C1 only) and copy no code
 * another region already holds, a region costs the compiler far less: the cold boot (./jvisor run,
 * 6 alternating runs of each) took 3.75 s at 32768 and 3.56 s at 16384 (processor time 6.05 and
 * 5.96 s); 8192 was no faster than 32768 and took 12% more processor time. The tests run with 64
 * (the pom's argLine) so that translation covers all warm guest code.
 *
 * <h2>Native blocks</h2>
 * On an x86-64 Linux host (unless {@code -Djvisor.native=false}), a branch target the interpreter
 * ran 32 times ({@code -Djvisor.native.heat}) becomes a native block: {@code NativeBlockWriter}
 * writes the straight-line instructions from there as x86-64 templates ({@code X86Assembler}),
 * across conditional branches not taken, up to 64 instructions, into an executable area the
 * {@code NativeTier} maps; writing one takes microseconds where a region's class costs HotSpot
 * milliseconds. The run loop calls a block where it would interpret (64-bit little-endian code
 * only; the state beyond the GPRs rides in the GPR array's tail). The templates cover the
 * fixed-point arithmetic, logical, rotate, shift and compare instructions, the CR and LR/CTR
 * moves, loads and stores of one to eight bytes ({@code NativeMemory}: a probe of the core's data
 * cache entries inline), traps and the branches; a block stops before anything else, and
 * <em>bails</em> there (a data-cache miss, a store that reservations or the code epoch care
 * about, a trap taken, a division's undefined case): the interpreter performs that instruction.
 * A block that ends at a taken branch goes on to the next block itself: directly within its page,
 * else through the core's jump cache (guest address to block, tagged with an epoch that moves at
 * every change of translations, MSR relocation or privilege, installed region or dropped page),
 * while the budget lasts (at most the event-poll interval). Each block counts its entries and
 * reports every 1024 to {@link jvisor.hw.power.cpu.Tiering} as heat; with blocks on, regions are
 * made at 65535 (early translation off, unless the {@code jvisor.jit} thresholds are given), so
 * only the hot loops go to C2. {@code NativeTierDifferentialTest} runs random sequences both ways.
 *
 * <h2>Machine-wide pieces the owner of the cores wires in</h2>
 * <ul>
 * <li>{@link jvisor.hw.power.cpu.DecodeCache}: anything that writes guest memory without going
 *     through a core (the hypervisor, device models, DMA) calls {@code invalidateRange}, which
 *     drops decoded code and logs writes to watched guest page tables
 *     ({@link jvisor.hw.power.ProcessTableWatch}, one per decode cache, which a core with a
 *     {@link jvisor.hw.power.RadixMmu} joins); guest stores from any core and icbi are handled by
 *     the cores.</li>
 * <li>{@link jvisor.hw.power.cpu.ReservationMonitor}: one per machine; the same writers call
 *     {@code invalidate(address, length)} so reservations on the range are lost.</li>
 * <li>{@link jvisor.hw.power.TlbControl}: a global tlbie must also reach the other cores
 *     ({@link jvisor.hw.power.cpu.Core#translationsInvalidatedAndWait}, or
 *     {@link jvisor.hw.power.cpu.Core#requestTranslationFlush()} without waiting); each core drops
 *     its cached translations at its next instruction boundary, after a process-scoped one only
 *     those whose guest table entries were written.</li>
 * <li>{@link jvisor.hw.power.cpu.TimeSource}: the shared timebase (512 MHz).</li>
 * </ul>
 *
 * <h2>Choices where the ISA leaves room</h2>
 * <ul>
 * <li>tlbie and tlbsync from the guest are performed only with LPCR[GTSE]=1; otherwise they are
 *     hypervisor emulation assistance exits for the hypervisor to emulate. tlbiel needs no GTSE;
 *     the MMU decides which of its forms a guest may use.</li>
 * <li>Undefined SPRs follow the mtspr/mfspr rules documented on {@link jvisor.hw.power.cpu.Spr}.</li>
 * <li>Illegal instructions, which POWER9 reports to the hypervisor as emulation assistance, are
 *     delivered directly as the program interrupt the hypervisor would reflect (SRR1 MSB 44).</li>
 * <li>Undefined results: invalid divisions give 0; 32-bit products and quotients have a zero
 *     high word; darn always answers "no random number" (all ones).</li>
 * <li>Trace interrupts leave the SRR1 interrupt-specific bits at 0 and set SIAR only.</li>
 * <li>Decrementer: level-sensitive while negative, 32 bits wide unless LPCR[LD] (then
 *     {@code setDecrementerBits}, 56 by default), read back sign-extended. Its going negative is
 *     seen at the run loop's event check, at most 1024 interpreted or 4096 translated
 *     instructions later; a write that makes it negative is seen before the next instruction.</li>
 * <li>A machine check on a load/store sets DAR and SRR1 MSB 42; with MSR[ME]=0 the machine
 *     checkstops ({@link jvisor.hw.power.cpu.Exit#STOPPED}).</li>
 * <li>FP, VMX and VSX instructions raise their facility-unavailable interrupts (0x800, 0xf20,
 *     0xf40) when disabled. The scalar floating-point facility (declarations in
 *     {@code FloatingPointInstructions}, IEEE arithmetic in {@link jvisor.hw.power.cpu.fpu}; FPSCR[NI]
 *     is stored but results stay IEEE; fre/frsqrte estimates are the correctly rounded values) and
 *     the vector facility ({@code VectorInstructions}) are implemented; decimal floating point and
 *     VSX stop the VM with {@link jvisor.hw.power.cpu.Exit#ERROR} until implemented. Words of their
 *     opcode spaces that POWER9 does not define are illegal. Reserved instruction bits are handled
 *     as QEMU's POWER9 does (the ISA says ignored; QEMU rejects some of them).</li>
 * <li>Transactional memory: MSR[TM] is never set, so its SPRs and instructions raise the
 *     facility-unavailable interrupt (cause TM). scv needs FSCR[SCV]; it saves into LR and CTR, keeps MSR[EE, RI].</li>
 * <li>Problem-state access to TAR, the EBB registers and SPR 3 follows FSCR, to the PMU registers
 *     MMCR0[PMCC]; HFSCR is not modelled (everything enabled). The performance monitor registers
 *     are plain storage and do not count.</li>
 * </ul>
 *
 * <p>Depends on {@code jvisor.memory} (real memory) and {@code jvisor.hw.power} (the
 * {@link jvisor.hw.power.Mmu}, its registers and faults, {@link jvisor.hw.power.TlbControl}).
 * Never on {@code jvisor.kvm} or anything above it.
 */
package jvisor.hw.power.cpu;
