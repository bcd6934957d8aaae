package jvisor.kvm.power;

import java.util.List;

/**
 * KVM_PPC_GET_RMMU_INFO: the radix tree geometries a guest may build (page shift and the index
 * bits of each level, lowest level first) and the page sizes with their tlbie AP encodings
 * ({@code shift | AP << 29}).
 */
public record RmmuInfo(List<Geometry> geometries, List<Integer> apEncodings) {

    public record Geometry(int pageShift, List<Integer> levelBits) {}

    /** AP values of tlbie's RB field per page size (spec sheet: 4K=0, 64K=5, 2M=1, 1G=2). */
    public static int apEncoding(int shift, int ap) {
        return shift | (ap << 29);
    }

    /** What POWER9 supports: 4K and 64K base pages in the 52-bit tree; 4K, 64K, 2M and 1G pages. */
    public static final RmmuInfo POWER9 = new RmmuInfo(
            List.of(new Geometry(12, List.of(9, 9, 9, 13)), new Geometry(16, List.of(5, 9, 9, 13))),
            List.of(apEncoding(12, 0), apEncoding(16, 5), apEncoding(21, 1), apEncoding(30, 2)));
}
