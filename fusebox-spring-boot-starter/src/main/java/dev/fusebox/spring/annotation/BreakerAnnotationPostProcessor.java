package dev.fusebox.spring.annotation;

import dev.fusebox.CircuitBreakerRegistry;
import java.lang.reflect.Method;
import java.util.Map;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Puts a proxy around every bean that has a {@link Breaker} method, and checks each such method
 * (its key, operation, load and fallback) when the bean is created, so that a mistake stops the
 * application at start rather than at the first failure. Class-based proxies, as Spring Boot's
 * default, so a bean can still be injected by its class. Applied before other advisors already on
 * the bean, so the breaker is the outermost: it counts what a transaction or retry inside it did.
 */
public class BreakerAnnotationPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

    private static final long serialVersionUID = 1L;

    private transient BreakerInterceptor interceptor;

    public BreakerAnnotationPostProcessor() {
        setProxyTargetClass(true);
        setBeforeExistingAdvisors(true);
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        super.setBeanFactory(beanFactory);
        ConfigurableBeanFactory factory = (ConfigurableBeanFactory) beanFactory;
        interceptor = new BreakerInterceptor(() -> beanFactory.getBean(CircuitBreakerRegistry.class),
                factory::resolveEmbeddedValue);
        this.advisor = new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, Breaker.class, true),
                interceptor);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> type = AopUtils.getTargetClass(bean);
        Map<Method, Breaker> annotated = MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<Breaker>) m -> AnnotatedElementUtils.findMergedAnnotation(m, Breaker.class));
        try {
            annotated.keySet().forEach(m -> interceptor.prepare(type, m));
        } catch (IllegalStateException e) {
            throw new BeanCreationException(beanName, e.getMessage(), e);
        }
        return super.postProcessAfterInitialization(bean, beanName);
    }
}
