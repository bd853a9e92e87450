using System.Security.Cryptography;
using System.Text;

namespace FhirSecurity.TestServer;

/// <summary>Compares secrets in time that does not depend on where they differ.</summary>
internal static class SecretComparer
{
    public static bool AreEqual(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}
