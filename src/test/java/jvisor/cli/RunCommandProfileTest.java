package jvisor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jvisor.vmm.GuestImages;
import org.junit.jupiter.api.Test;

/** {@code run --profile}: the guest's time by function of its ELF's symbols, after the run. */
class RunCommandProfileTest {
    private static final Pattern HEADER = Pattern.compile("jvisor guest profile: (\\d+) samples \\(1 vCPU every 1\\.000 ms\\)"),
            ROW = Pattern.compile("^ +(\\d+\\.\\d)% +(\\d+)  (.+)$", Pattern.MULTILINE);

    @Test
    void namesTheGuestsFunctionsAndAccountsForEverySample() {
        Path elf = GuestImages.require("le", "sieve");
        CliRun.Result r = CliRun.run("run", "--profile", elf.toString());
        assertEquals(0, r.status(), r.err());
        Matcher header = HEADER.matcher(r.err());
        assertTrue(header.find(), r.err());
        long samples = Long.parseLong(header.group(1));
        assertTrue(samples > 0, r.err());
        Matcher row = ROW.matcher(r.err().substring(header.end()));
        long sum = 0;
        double shares = 0;
        List<String> functions = new java.util.ArrayList<>();
        while (row.find()) {
            shares += Double.parseDouble(row.group(1));
            sum += Long.parseLong(row.group(2));
            functions.add(row.group(3));
        }
        assertEquals(samples, sum, "every sample in one row: " + r.err());
        assertEquals(100.0, shares, 0.1 * functions.size(), r.err());
        // The sieve guest runs its sieve in main, after clearing its memory in the start-up code.
        assertTrue(functions.contains("main"), r.err());
        assertTrue(functions.indexOf("main") < 3, "main is among the first: " + r.err());
    }

    @Test
    void aStrippedGuestIsProfiledByAddress() {
        // The embedded demo guest has no symbol table.
        CliRun.Result r = CliRun.run("run", "--profile");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("by 64-byte block (the ELF has no symbol table)"), r.err());
        Matcher header = HEADER.matcher(r.err());
        assertTrue(header.find(), r.err());
        Matcher row = ROW.matcher(r.err().substring(header.end()));
        assertTrue(row.find(), r.err());
        assertTrue(row.group(3).matches("0x[0-9a-f]*[048c]0"), "a block's address: " + row.group(3));
    }

    @Test
    void eachIntervalNamesItsLeadingFunctionsAndTheIntervalsHoldEverySample() {
        Path elf = GuestImages.require("le", "sieve");
        CliRun.Result r = CliRun.run("run", "--profile", "--profile-every", "0.02", elf.toString());
        assertEquals(0, r.status(), r.err());
        Matcher header = HEADER.matcher(r.err());
        assertTrue(header.find(), r.err());
        long samples = Long.parseLong(header.group(1));
        int table = r.err().indexOf("by interval of 0.02 s: samples, the 3 leading functions");
        assertTrue(table > 0, r.err());
        Matcher interval = Pattern.compile("^ {4}(\\S+)-(\\S+) s +(\\d+)  (.*)$", Pattern.MULTILINE).matcher(r.err().substring(table));
        long sum = 0;
        double expectedStart = 0;
        List<String> leaders = new java.util.ArrayList<>();
        while (interval.find()) {
            assertEquals(expectedStart, Double.parseDouble(interval.group(1)), 1e-9, "intervals follow each other: " + r.err());
            expectedStart = Double.parseDouble(interval.group(2));
            sum += Long.parseLong(interval.group(3));
            leaders.add(interval.group(4));
        }
        assertTrue(leaders.size() >= 2, r.err());
        assertEquals(samples, sum, "every sample in one interval: " + r.err());
        assertTrue(leaders.stream().anyMatch(l -> l.startsWith("main ")), "main leads some interval: " + leaders);
    }

    @Test
    void intervalsNeedTheProfileAndAtLeastAMillisecond() {
        CliRun.assertRefused("--profile-every needs --profile", "run", "--profile-every", "0.1");
        CliRun.assertRefused("--profile-every", "run", "--profile", "--profile-every", "0.0001");
        CliRun.assertRefused("--profile-every", "run", "--profile", "--profile-every", "-1");
    }

    @Test
    void withoutTheOptionNoProfileIsTaken() {
        Path elf = GuestImages.require("le", "hello");
        CliRun.Result r = CliRun.run("run", elf.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(!r.err().contains("guest profile"), r.err());
    }
}
