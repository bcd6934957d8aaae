package jvisor.vmm;

/**
 * The RTAS services jvisor offers, each with the token the device tree publishes under /rtas
 * (a property named after the service). The tokens are QEMU's, so the same tree property holds
 * the same number on both machines; guests must still read them from the tree.
 */
public enum RtasService {
    DISPLAY_CHARACTER("display-character", 0x2000),
    GET_TIME_OF_DAY("get-time-of-day", 0x2001),
    SET_TIME_OF_DAY("set-time-of-day", 0x2002),
    POWER_OFF("power-off", 0x2003),
    QUERY_CPU_STOPPED_STATE("query-cpu-stopped-state", 0x2005),
    START_CPU("start-cpu", 0x2006),
    STOP_SELF("stop-self", 0x2007);

    /** The property name under /rtas, also the name PAPR gives the service. */
    public final String propertyName;
    public final int token;

    RtasService(String propertyName, int token) {
        this.propertyName = propertyName;
        this.token = token;
    }

    /** The service with this token, or {@code null}. */
    public static RtasService byToken(int token) {
        for (RtasService s : values()) if (s.token == token) return s;
        return null;
    }
}
