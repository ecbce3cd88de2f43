package io.torchlight.logger.tensorboard.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;

import io.torchlight.api.logger.Logger;
import io.torchlight.logger.tensorboard.TensorBoardLogger;

/** Registers {@link TensorBoardLogger}: prototype scope, so every run gets its own event file. */
@Component(service = Logger.class, scope = ServiceScope.PROTOTYPE, property = Logger.PROPERTY_NAME + "=" + TensorBoardLogger.NAME)
public class TensorBoardLoggerComponent extends TensorBoardLogger {
}
