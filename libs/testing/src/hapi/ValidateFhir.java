import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Validates FHIR R4 JSON resources with HAPI FHIR: a strict parse against the R4 model (unknown elements,
 * wrong types, bad primitive values), then the official R4 XML Schema. Prints one line per problem,
 * `<file>: <severity> <location> <message>`, and nothing for a valid resource.
 */
public class ValidateFhir {
  public static void main(String[] args) throws Exception {
    FhirContext ctx = FhirContext.forR4();
    FhirValidator validator = ctx.newValidator();
    validator.setValidateAgainstStandardSchema(true);
    validator.setValidateAgainstStandardSchematron(false);
    for (String file : args) {
      String json = Files.readString(Path.of(file));
      try {
        var resource = ctx.newJsonParser().setParserErrorHandler(new StrictErrorHandler()).parseResource(json);
        for (SingleValidationMessage m : validator.validateWithResult(resource).getMessages()) {
          System.out.println(file + ": " + m.getSeverity() + " " + m.getLocationString() + " " + m.getMessage());
        }
      } catch (Exception e) {
        System.out.println(file + ": ERROR (parse) " + e.getMessage());
      }
    }
  }
}
