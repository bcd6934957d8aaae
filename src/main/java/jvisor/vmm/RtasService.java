package jvisor.vmm;

/**
 * The RTAS services jvisor offers, each with the token the device tree publishes under /rtas
 * (a property named after the service). The set and the tokens are those QEMU's pseries offers,
 * so the same tree property holds the same number on both machines; guests must still read them
 * from the tree. Services for hardware jvisor does not have (PCI host bridges, their error
 * recovery and DMA windows, dynamic-reconfiguration connectors) are offered too and answer as
 * QEMU's answer for a bus, slot or connector that does not exist.
 */
public enum RtasService {
    DISPLAY_CHARACTER("display-character", 0x2000),
    GET_TIME_OF_DAY("get-time-of-day", 0x2001),
    SET_TIME_OF_DAY("set-time-of-day", 0x2002),
    POWER_OFF("power-off", 0x2003),
    SYSTEM_REBOOT("system-reboot", 0x2004),
    QUERY_CPU_STOPPED_STATE("query-cpu-stopped-state", 0x2005),
    START_CPU("start-cpu", 0x2006),
    STOP_SELF("stop-self", 0x2007),
    GET_SYSTEM_PARAMETER("ibm,get-system-parameter", 0x2008),
    SET_SYSTEM_PARAMETER("ibm,set-system-parameter", 0x2009),
    SET_XIVE("ibm,set-xive", 0x200A),
    GET_XIVE("ibm,get-xive", 0x200B),
    INT_OFF("ibm,int-off", 0x200C),
    INT_ON("ibm,int-on", 0x200D),
    CHECK_EXCEPTION("check-exception", 0x200E),
    EVENT_SCAN("event-scan", 0x200F),
    SET_TCE_BYPASS("ibm,set-tce-bypass", 0x2010),
    QUIESCE("quiesce", 0x2011),
    NVRAM_FETCH("nvram-fetch", 0x2012),
    NVRAM_STORE("nvram-store", 0x2013),
    READ_PCI_CONFIG("read-pci-config", 0x2014),
    WRITE_PCI_CONFIG("write-pci-config", 0x2015),
    IBM_READ_PCI_CONFIG("ibm,read-pci-config", 0x2016),
    IBM_WRITE_PCI_CONFIG("ibm,write-pci-config", 0x2017),
    QUERY_INTERRUPT_SOURCE_NUMBER("ibm,query-interrupt-source-number", 0x2018),
    CHANGE_MSI("ibm,change-msi", 0x2019),
    SET_INDICATOR("set-indicator", 0x201A),
    SET_POWER_LEVEL("set-power-level", 0x201B),
    GET_POWER_LEVEL("get-power-level", 0x201C),
    GET_SENSOR_STATE("get-sensor-state", 0x201D),
    CONFIGURE_CONNECTOR("ibm,configure-connector", 0x201E),
    OS_TERM("ibm,os-term", 0x201F),
    SET_EEH_OPTION("ibm,set-eeh-option", 0x2020),
    GET_CONFIG_ADDR_INFO2("ibm,get-config-addr-info2", 0x2021),
    READ_SLOT_RESET_STATE2("ibm,read-slot-reset-state2", 0x2022),
    SET_SLOT_RESET("ibm,set-slot-reset", 0x2023),
    CONFIGURE_PE("ibm,configure-pe", 0x2024),
    SLOT_ERROR_DETAIL("ibm,slot-error-detail", 0x2025),
    QUERY_PE_DMA_WINDOW("ibm,query-pe-dma-window", 0x2026),
    CREATE_PE_DMA_WINDOW("ibm,create-pe-dma-window", 0x2027),
    REMOVE_PE_DMA_WINDOW("ibm,remove-pe-dma-window", 0x2028),
    RESET_PE_DMA_WINDOW("ibm,reset-pe-dma-window", 0x2029),
    SUSPEND_ME("ibm,suspend-me", 0x202A),
    NMI_REGISTER("ibm,nmi-register", 0x202B),
    NMI_INTERLOCK("ibm,nmi-interlock", 0x202C);

    /** The property name under /rtas, also the name PAPR gives the service. */
    public final String propertyName;
    public final int token;

    /** Tokens are dense from here, so a token is found by subtraction. */
    private static final int FIRST_TOKEN = 0x2000;
    private static final RtasService[] BY_TOKEN = values();

    RtasService(String propertyName, int token) {
        this.propertyName = propertyName;
        this.token = token;
    }

    /** The service with this token, or {@code null}. */
    public static RtasService byToken(int token) {
        int i = token - FIRST_TOKEN;
        return i >= 0 && i < BY_TOKEN.length ? BY_TOKEN[i] : null;
    }
}
