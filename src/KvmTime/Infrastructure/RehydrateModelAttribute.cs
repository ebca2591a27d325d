using System.Globalization;
using System.Management.Automation;
using System.Reflection;

namespace KvmTime;

/// <summary>
/// Lets KvmTime result objects that come back from remoting, a job or Import-Clixml (property bags
/// named Deserialized.KvmTime.Model.X) bind where the live type is expected. Every settable property
/// of the model type is converted back by PowerShell's own rules, lists of model objects element by
/// element; anything else passes through unchanged for the binder to judge.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class RehydrateModelAttribute : ArgumentTransformationAttribute
{
    public RehydrateModelAttribute(Type modelType) => ModelType = modelType;

    public Type ModelType { get; }

    /// <summary>One object from the pipeline, or a whole collection given by name (-InputObject $reports).</summary>
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
        LanguagePrimitives.GetEnumerable(inputData) is { } items ? items.Cast<object?>().Select(item => Rehydrate(item, ModelType)).ToArray() : Rehydrate(inputData, ModelType);

    private static object? Rehydrate(object? value, Type type)
    {
        if (value is not PSObject bag || type.IsInstanceOfType(bag.BaseObject) || !bag.TypeNames.Contains("Deserialized." + type.FullName))
        {
            return value;
        }

        var model = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            if (bag.Properties[property.Name]?.Value is { } saved)
            {
                property.SetValue(model, Convert(saved, property.PropertyType));
            }
        }

        return model;
    }

    private static object? Convert(object value, Type type)
    {
        var element = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : null;
        if (element?.Namespace == "KvmTime.Model")
        {
            var items = (LanguagePrimitives.GetEnumerable(value) ?? new[] { value }).Cast<object?>().Select(item => Rehydrate(item, element)).ToList();
            var array = Array.CreateInstance(element, items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                array.SetValue(LanguagePrimitives.ConvertTo(items[i], element, CultureInfo.InvariantCulture), i);
            }

            return array;
        }

        return LanguagePrimitives.ConvertTo(value, type, CultureInfo.InvariantCulture);
    }
}
