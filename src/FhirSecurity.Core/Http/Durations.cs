using System.Globalization;

namespace FhirSecurity.Core.Http;

/// <summary>Durations as messages show them: seconds, the same in every culture.</summary>
internal static class Durations
{
    /// <summary>
    /// <paramref name="span"/> in seconds: "30", "0.4" for a limit or a measurement, or, with
    /// <paramref name="tenths"/>, always one decimal ("2.0") for a wait, so retry lines read alike whatever the jitter.
    /// </summary>
    public static string Seconds(TimeSpan span, bool tenths = false)
        => span.TotalSeconds.ToString(tenths ? "0.0" : "0.#", CultureInfo.InvariantCulture);
}
