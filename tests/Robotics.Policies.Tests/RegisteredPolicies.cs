using Robotics.Policies.Registry;

namespace Robotics.Policies.Tests;

/// <summary>Theory data over every registered policy type, so per-type tests grow with the registry.</summary>
public static class RegisteredPolicies
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var type in PolicyRegistry.All)
            data.Add(type.Name);
        return data;
    }
}
