using System.Management.Automation;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Tls;

namespace FhirSecurity.Commands;

/// <summary>Reads and checks the PEM a user gives to Import-FhirCaBundle or Set-FhirCaBundle.</summary>
internal static class CaBundleSource
{
    public const string PathSet = "Path";
    public const string PemSet = "Pem";

    /// <summary>
    /// The parsed bundle from a file (resolved like any PowerShell path) or from PEM text. Expired, non-CA and
    /// key-bearing bundles throw; certificates close to expiry come back as warnings.
    /// </summary>
    public static CaBundle Read(PSCmdlet cmdlet, string? path, string? pem)
    {
        if (path is null)
        {
            return CaBundle.Parse(pem ?? string.Empty, DateTimeOffset.UtcNow, "the -Pem text");
        }

        string file = UserFiles.Resolve(cmdlet, path, ErrorIds.CaBundleFileNotFound, $"The CA bundle file '{path}' was not found. Give the path of a PEM file (one file, no wildcards).");
        return CaBundle.Parse(File.ReadAllText(file), DateTimeOffset.UtcNow, $"'{file}'");
    }

    /// <summary>Shows each certificate and each warning, as the import's visible result.</summary>
    public static void Report(PSCmdlet cmdlet, string name, CaBundle bundle)
    {
        foreach (string warning in bundle.Warnings)
        {
            cmdlet.WriteWarning(warning);
        }

        foreach (CaCertificate certificate in bundle.Certificates)
        {
            // Host information: shown in the console like Write-Host, kept out of the output pipeline.
            var message = new HostInformationMessage
            {
                Message = $"CA bundle '{name}': {(certificate.IsRoot ? "root" : "intermediate")} '{certificate.Subject}', SHA-256 {certificate.Sha256Fingerprint}, expires {certificate.NotAfter:u}",
            };
            cmdlet.WriteInformation(message, ["PSHOST", "FhirSecurity"]);
        }
    }
}
