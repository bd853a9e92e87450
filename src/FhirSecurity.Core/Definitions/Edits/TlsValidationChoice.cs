namespace FhirSecurity.Core.Definitions.Edits;

/// <summary>What is wrong with a TLS validation mode and a CA bundle taken together.</summary>
public enum TlsBundleProblem
{
    /// <summary>Nothing: CustomBundle with a bundle, or another mode without one.</summary>
    None,

    /// <summary>CustomBundle without a CA bundle.</summary>
    BundleRequired,

    /// <summary>A CA bundle with a mode that does not use it.</summary>
    BundleUnused,
}

/// <summary>
/// The TLS validation a user chose with -TlsValidation and -CaBundle, for connections and for SMART discovery alike:
/// a CA bundle implies CustomBundle, and a mode that is not CustomBundle drops the bundle it replaces.
/// </summary>
public static class TlsValidationChoice
{
    /// <summary>
    /// The mode and bundle after the user gave <paramref name="mode"/> and <paramref name="caBundle"/> (null: not
    /// given) over <paramref name="currentMode"/> and <paramref name="currentBundle"/>. A bundle given together with
    /// another mode is kept, so <see cref="Check"/> reports the contradiction instead of hiding it.
    /// </summary>
    public static (TlsValidationMode Mode, string? CaBundle) Apply(
        TlsValidationMode? mode,
        string? caBundle,
        TlsValidationMode currentMode = TlsValidationMode.Default,
        string? currentBundle = null)
    {
        TlsValidationMode chosen = mode ?? (caBundle is null ? currentMode : TlsValidationMode.CustomBundle);
        return (chosen, caBundle ?? (mode is null || chosen == TlsValidationMode.CustomBundle ? currentBundle : null));
    }

    /// <summary>Whether <paramref name="mode"/> and <paramref name="caBundle"/> go together.</summary>
    public static TlsBundleProblem Check(TlsValidationMode mode, string? caBundle)
        => mode == TlsValidationMode.CustomBundle
            ? caBundle is null ? TlsBundleProblem.BundleRequired : TlsBundleProblem.None
            : caBundle is null ? TlsBundleProblem.None : TlsBundleProblem.BundleUnused;
}
