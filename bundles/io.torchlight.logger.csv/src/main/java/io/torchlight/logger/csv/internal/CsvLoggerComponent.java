package io.torchlight.logger.csv.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;

import io.torchlight.api.logger.Logger;
import io.torchlight.logger.csv.CsvLogger;

/** Registers {@link CsvLogger}: prototype scope, so every run gets its own instance and files. */
@Component(service = Logger.class, scope = ServiceScope.PROTOTYPE, property = Logger.PROPERTY_NAME + "=" + CsvLogger.NAME)
public class CsvLoggerComponent extends CsvLogger {
}
