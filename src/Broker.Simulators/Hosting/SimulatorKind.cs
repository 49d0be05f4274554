namespace Broker.Simulators;

/// <summary>What a simulated provider looks like on the wire.</summary>
public enum SimulatorKind
{
    /// <summary>ESA SOAR-like TAP+ service: <c>soar.v_sc_data_item</c>, <c>v_ll_data_item</c>, per-instrument FITS views.</summary>
    Soar,

    /// <summary>ObsCore TAP service (<c>ivoa.obscore</c>) with SDO AIA/HMI-like products.</summary>
    ObsCore,

    /// <summary>EPN-TAP 2.0 service (<c>&lt;schema&gt;.epn_core</c>), radio heliograph or BASS2000-like.</summary>
    EpnTap,

    /// <summary>ObsCore layout with N records packed in a fixed one-hour window: every query is cheap (fan-out benchmark).</summary>
    Bench,

    /// <summary>Legacy VSOi SOAP provider (<c>POST /{name}/soap</c>) over SDO-like products; its TAP endpoints serve the same rows as <c>ivoa.obscore</c>.</summary>
    Vsoi,
}
